import { LOG_LEVEL_RANK, type LogEntry, type LogSink } from "../../context/logger.js";
import type { ProgressSink, ProgressUpdate } from "../../context/progress-sink.js";
import {
  type JsonRpcId,
  type JsonRpcNotification,
  notification,
  SerializedNotification,
} from "../../protocol/jsonrpc.js";
import type { ProgressToken } from "../../protocol/mcp-types.js";
import type { Session } from "../session/session.js";

/** Which client request a message belongs to: fixed, or looked up when it is sent. */
export type RelatedRequest = JsonRpcId | (() => JsonRpcId | undefined) | undefined;

function resolve(related: RelatedRequest): JsonRpcId | undefined {
  return typeof related === "function" ? related() : related;
}

/**
 * Sends a request's progress as `notifications/progress` on its token. MCP requires the value
 * to increase with every notification, so a state change that only touched the message or total
 * is held back and rides along with the next increase.
 */
export class WireProgressSink implements ProgressSink {
  readonly #session: Session;
  readonly #token: ProgressToken;
  readonly #relatedRequestId: RelatedRequest;
  /** The start of every notification's JSON text, up to the progress value. */
  readonly #jsonHead: string;
  #last = Number.NEGATIVE_INFINITY;

  constructor(session: Session, token: ProgressToken, relatedRequestId?: RelatedRequest) {
    this.#session = session;
    this.#token = token;
    this.#relatedRequestId = relatedRequestId;
    this.#jsonHead = `{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":${JSON.stringify(token)},"progress":`;
  }

  onProgress(update: ProgressUpdate): void {
    const { current, total, message } = update;
    if (current <= this.#last) return;
    this.#last = current;
    const params: Record<string, unknown> = { progressToken: this.#token, progress: current };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    // The text is built with one template (see SerializedNotification for why). A finite number
    // prints the same in a template as in JSON; anything else takes JSON.stringify.
    const templated =
      Number.isFinite(current) &&
      (total === undefined || Number.isFinite(total)) &&
      (message === undefined || typeof message === "string");
    const sent = templated
      ? new SerializedNotification(
          "notifications/progress",
          params,
          `${this.#jsonHead}${current}${total === undefined ? "" : `,"total":${total}`}${message === undefined ? "" : `,"message":${JSON.stringify(message)}`}}}`,
        )
      : notification("notifications/progress", params);
    this.#session.send(sent, resolve(this.#relatedRequestId));
  }
}

/** Sends `ctx.log` entries as `notifications/message`, filtered by the session's level. */
export class WireLogSink implements LogSink {
  readonly #session: Session;
  readonly #relatedRequestId: RelatedRequest;

  constructor(session: Session, relatedRequestId?: RelatedRequest) {
    this.#session = session;
    this.#relatedRequestId = relatedRequestId;
  }

  onLog(entry: LogEntry): void {
    if (LOG_LEVEL_RANK[entry.level] < LOG_LEVEL_RANK[this.#session.logLevel]) return;
    const data =
      entry.data === undefined
        ? entry.message
        : typeof entry.data === "object" && entry.data !== null && !Array.isArray(entry.data)
          ? { ...entry.data, message: entry.message }
          : { message: entry.message, data: entry.data };
    const params: Record<string, unknown> = { level: entry.level, logger: entry.logger, data };
    this.#session.send(
      logNotification(params, entry.level, entry.logger, data),
      resolve(this.#relatedRequestId),
    );
  }
}

/**
 * `notifications/message` with its JSON text built by a template (see SerializedNotification): a
 * burst of logs sends one per entry. Only `data` goes through JSON.stringify here; when that throws
 * or gives nothing (a BigInt, a cycle, a function), the plain notification goes, and the transport
 * reports the failure as before.
 */
function logNotification(
  params: Record<string, unknown>,
  level: string,
  logger: string | undefined,
  data: unknown,
): JsonRpcNotification {
  let dataJson: string | undefined;
  try {
    // A toJSON of data's own would be called with key "" here but "data" in the whole message.
    if (
      typeof data === "string" ||
      typeof (data as { toJSON?: unknown } | undefined)?.toJSON !== "function"
    ) {
      dataJson = JSON.stringify(data);
    }
  } catch {
    dataJson = undefined;
  }
  if (
    dataJson === undefined ||
    typeof level !== "string" ||
    (logger !== undefined && typeof logger !== "string")
  ) {
    return notification("notifications/message", params);
  }
  const loggerJson = logger === undefined ? "" : `,"logger":${JSON.stringify(logger)}`;
  return new SerializedNotification(
    "notifications/message",
    params,
    `{"jsonrpc":"2.0","method":"notifications/message","params":{"level":${JSON.stringify(level)}${loggerJson},"data":${dataJson}}}`,
  );
}
