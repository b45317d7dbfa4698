import { LOG_LEVELS, type LogLevel } from "../../protocol/mcp-types.js";
import { InvalidParamsError, InvalidRequestError } from "../../protocol/protocol-error.js";
import { negotiateRevision, type ProtocolRevision } from "../../protocol/revisions.js";
import { withCacheHints } from "../cache-hints.js";
import { objectParam, type RequestHandler, stringParam } from "../dispatch/request-handler.js";
import type { ClientInfo } from "../session/session.js";
import { serverCapabilities } from "./capabilities.js";

/** `initialize`: negotiates the revision and states what this server offers. */
export const initialize: RequestHandler = (scope) => {
  const { session, core } = scope;
  if (session.revision !== undefined) {
    throw new InvalidRequestError(
      "This session is already initialized; start a new session to initialize again.",
    );
  }
  const requested = stringParam(scope, "protocolVersion");
  const clientInfo = objectParam(scope, "clientInfo");
  if (clientInfo === undefined || typeof clientInfo.name !== "string") {
    throw new InvalidParamsError('initialize needs "clientInfo" with a "name".', "invalid-params", {
      parameter: "clientInfo",
    });
  }
  const revision = negotiateRevision(requested, core.revisions.legacy);
  if (revision === undefined) {
    throw new InvalidRequestError(
      `This server serves only ${core.revisions.stateless.map((r) => r.version).join(", ")}, per request (no initialize): send server/discover with the request _meta instead.`,
      "unsupported-protocol-version",
      { supported: core.revisions.stateless.map((r) => r.version) },
    );
  }
  session.revision = revision;
  session.clientInfo = clientInfo as ClientInfo;
  session.clientCapabilities = objectParam(scope, "capabilities") ?? {};

  const capabilities = serverCapabilities(core, revision);
  const serverInfo: Record<string, unknown> = { name: core.name, version: core.version };
  if (core.options.title !== undefined) serverInfo.title = core.options.title;
  const result: Record<string, unknown> = { protocolVersion: revision.version, capabilities, serverInfo };
  if (core.options.instructions !== undefined) result.instructions = core.options.instructions;
  return result;
};

/**
 * `server/discover` (stateless revisions): the versions served per request, what this server
 * offers, its instructions and how long the answer may be cached (`serverInfo` and `resultType`
 * are added to every stateless result by the dispatcher).
 */
export const discover: RequestHandler = (scope) => {
  const { core, session } = scope;
  const result: Record<string, unknown> = {
    supportedVersions: core.revisions.stateless.map((revision) => revision.version),
    capabilities: serverCapabilities(core, session.revision as ProtocolRevision),
  };
  if (core.options.instructions !== undefined) result.instructions = core.options.instructions;
  return withCacheHints(result, core.cacheDefaults);
};

/** `ping`: an empty result, as MCP requires. */
export const ping: RequestHandler = () => ({});

/** `logging/setLevel`: the lowest level this session receives as `notifications/message`. */
export const setLogLevel: RequestHandler = (scope) => {
  const level = stringParam(scope, "level");
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidParamsError(
      `Unknown log level "${level}": use one of ${LOG_LEVELS.join(", ")}.`,
      "invalid-log-level",
    );
  }
  const written = scope.session.change({ field: "logLevel", level: level as LogLevel });
  return written === undefined ? {} : written.then(() => ({}));
};
