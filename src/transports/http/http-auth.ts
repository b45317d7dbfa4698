import type { ResolvedAuth } from "../../auth/auth-options.js";
import { authenticate } from "../../auth/bearer-auth.js";
import { identityKey } from "../../auth/identity.js";
import { errorResponse } from "../../protocol/jsonrpc.js";
import { InternalError, InvalidRequestError } from "../../protocol/protocol-error.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HttpExchange } from "./exchange.js";

const JSON_HEADERS = { "content-type": "application/json" };
/**
 * The metadata is public and read by browser-based clients from other origins: any origin may
 * read it, and the preflight of a discovery request (which carries `MCP-Protocol-Version`) passes.
 */
const METADATA_HEADERS = {
  ...JSON_HEADERS,
  "access-control-allow-origin": "*",
  "cache-control": "max-age=3600",
};
const PREFLIGHT_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "mcp-protocol-version, content-type",
  "access-control-max-age": "86400",
};

/**
 * The OAuth 2.1 resource-server side of the Streamable HTTP endpoint (MCP 2025-11-25
 * "Authorization"): serves the RFC 9728 Protected Resource Metadata, authenticates each request
 * with its bearer token, and names the identity that owns a session. Only built when the server
 * has `auth`, so a server without it pays nothing per request.
 */
export class HttpAuth {
  readonly #auth: ResolvedAuth;
  readonly #logger: DiagnosticLogger;

  constructor(auth: ResolvedAuth, logger: DiagnosticLogger) {
    this.#auth = auth;
    this.#logger = logger;
  }

  /** True for the metadata's well-known paths (path-aware and root). */
  isMetadataPath(path: string): boolean {
    return this.#auth.metadata.paths.has(path);
  }

  /** Answers a request for the metadata document: served to anyone, without a token. */
  serveMetadata(exchange: HttpExchange): void {
    switch (exchange.method) {
      case "GET":
        exchange.respond(200, METADATA_HEADERS, this.#auth.metadata.json);
        return;
      case "HEAD":
        exchange.respond(200, METADATA_HEADERS);
        return;
      case "OPTIONS":
        exchange.respond(204, PREFLIGHT_HEADERS);
        return;
      default:
        exchange.respond(
          405,
          { allow: "GET, HEAD, OPTIONS", ...JSON_HEADERS },
          JSON.stringify(
            errorResponse(
              null,
              new InvalidRequestError(
                `Method ${exchange.method} is not allowed on the resource metadata: use GET.`,
              ).toJSON(),
            ),
          ),
        );
    }
  }

  /**
   * Authenticates the request: true with `exchange.auth` set, or false after answering 400, 401,
   * 403 (with `WWW-Authenticate`) or 500. The token never reaches a log or a message.
   */
  async admit(exchange: HttpExchange): Promise<boolean> {
    const outcome = await authenticate(this.#auth, exchange);
    if (outcome.ok) {
      exchange.auth = outcome.auth;
      return true;
    }
    if (outcome.reason === "token-verification-failed") {
      this.#logger.error("access token verification failed", { error: outcome.error });
      const error = new InternalError(outcome.message, outcome.reason);
      exchange.respond(500, JSON_HEADERS, JSON.stringify(errorResponse(null, error.toJSON())));
      return false;
    }
    const error = new InvalidRequestError(outcome.message, outcome.reason);
    exchange.respond(
      outcome.status,
      { ...JSON_HEADERS, "www-authenticate": outcome.challenge as string },
      JSON.stringify(errorResponse(null, error.toJSON())),
    );
    return false;
  }

  /** Who owns the sessions and tasks of an admitted request: its identity's key. */
  ownerOf(exchange: HttpExchange): string {
    return identityKey(exchange.auth as NonNullable<HttpExchange["auth"]>);
  }
}
