import type { JsonRpcId, JsonRpcResponse } from "../protocol/jsonrpc.js";
import type { LogLevel } from "../protocol/mcp-types.js";

// The shapes of the server's SessionDirectory (src/server/session/session-directory.ts), declared
// again here: a store never imports the server, and the compiler checks that the two fit
// wherever a RedisBackend is given as a server's `backend`.

/** A shared session as stored. */
export interface StoredSession {
  readonly id: string;
  readonly owner: string;
  readonly version: string;
  readonly tasks: boolean;
  readonly clientInfo: { name: string; version: string; [key: string]: unknown } | undefined;
  readonly clientCapabilities: Record<string, unknown> | undefined;
  readonly initialized: boolean;
  readonly logLevel: LogLevel;
  readonly resourceSubscriptions: readonly string[];
}

/** A change of a stored session. */
export type StoredSessionChange =
  | { readonly field: "initialized" }
  | { readonly field: "logLevel"; readonly level: LogLevel }
  | { readonly field: "subscribe" | "unsubscribe"; readonly uri: string };

/** A message between instances about a session. */
export type StoredSessionSignal =
  | {
      readonly type: "changed";
      readonly sessionId: string;
      readonly origin: string;
      readonly change: StoredSessionChange;
    }
  | { readonly type: "ended"; readonly sessionId: string; readonly origin: string }
  | {
      readonly type: "response";
      readonly sessionId: string;
      readonly origin: string;
      readonly message: JsonRpcResponse;
    }
  | {
      readonly type: "cancel";
      readonly sessionId: string;
      readonly origin: string;
      readonly requestId: JsonRpcId;
      readonly reason: string;
    };

/** One SSE event of a session's log. */
export interface LoggedEvent {
  readonly stream: string;
  readonly seq: number;
  readonly message: string;
  readonly end: boolean;
}

/** What the log holds of a stream after an event. */
export interface LoggedReplay {
  readonly known: boolean;
  readonly ended: boolean;
  readonly events: readonly LoggedEvent[];
  readonly after: number;
}

/** The ARGV of the save script after P, id and idle. */
export function recordArgs(record: StoredSession): string[] {
  return [
    record.owner,
    record.version,
    record.tasks ? "1" : "0",
    JSON.stringify(record.clientInfo ?? null),
    JSON.stringify(record.clientCapabilities ?? null),
    record.initialized ? "1" : "0",
    record.logLevel,
    ...record.resourceSubscriptions,
  ];
}

/** The record from the load script's flat field list; undefined for none. */
export function recordFromFields(id: string, flat: string[]): StoredSession | undefined {
  if (flat.length === 0) return undefined;
  const fields = new Map<string, string>();
  const resourceSubscriptions: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i] as string;
    if (name.startsWith("r:")) resourceSubscriptions.push(name.slice(2));
    else fields.set(name, flat[i + 1] as string);
  }
  return {
    id,
    owner: fields.get("owner") ?? id,
    version: fields.get("v") ?? "",
    tasks: fields.get("tk") === "1",
    clientInfo: JSON.parse(fields.get("ci") ?? "null") ?? undefined,
    clientCapabilities: JSON.parse(fields.get("cc") ?? "null") ?? undefined,
    initialized: fields.get("in") === "1",
    logLevel: (fields.get("ll") ?? "debug") as LogLevel,
    resourceSubscriptions,
  };
}

/** The update script's field and value for a change. */
export function changeArgs(change: StoredSessionChange): [string, string] {
  switch (change.field) {
    case "initialized":
      return ["in", ""];
    case "logLevel":
      return ["ll", change.level];
    case "subscribe":
      return ["sub", change.uri];
    case "unsubscribe":
      return ["unsub", change.uri];
  }
}

/** An event published on a session's channel (`<stream>\n<seq>\n<end>\n<message>`); undefined if malformed. */
export function parseLoggedEvent(payload: string): LoggedEvent | undefined {
  const first = payload.indexOf("\n");
  const second = payload.indexOf("\n", first + 1);
  const third = payload.indexOf("\n", second + 1);
  if (first < 0 || second < 0 || third < 0) return undefined;
  const seq = Number(payload.slice(first + 1, second));
  if (!Number.isSafeInteger(seq)) return undefined;
  return {
    stream: payload.slice(0, first),
    seq,
    end: payload.slice(second + 1, third) === "1",
    message: payload.slice(third + 1),
  };
}

/** The read script's reply as a replay: one event per seq (the last written wins), end marks left out. */
export function replayFromReply(stream: string, reply: [number, number, number, string[]]): LoggedReplay {
  const [known, ended, after, flat] = reply;
  const bySeq = new Map<number, LoggedEvent>();
  for (let i = 0; i + 2 < flat.length; i += 3) {
    if (flat[i + 2] === "1") continue;
    const seq = Number(flat[i]);
    bySeq.set(seq, { stream, seq, message: flat[i + 1] as string, end: false });
  }
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { known: known === 1, ended: ended === 1, after: Number(after), events };
}
