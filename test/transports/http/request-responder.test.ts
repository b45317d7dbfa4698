import { describe, expect, it } from "vitest";
import type { JsonRpcMessage, JsonRpcRequest } from "../../../src/protocol/jsonrpc.js";
import { Session } from "../../../src/server/session/session.js";
import type { HttpExchange } from "../../../src/transports/http/exchange.js";
import { HttpSession } from "../../../src/transports/http/http-session.js";
import { RequestResponder } from "../../../src/transports/http/request-responder.js";

interface Recorded {
  status?: number;
  body?: string;
  sse: string[];
  ended: boolean;
}

function exchange(): HttpExchange & { got: Recorded } {
  const got: Recorded = { sse: [], ended: false };
  return {
    method: "POST",
    path: "/mcp",
    got,
    header: () => undefined,
    readBody: () => Promise.resolve(""),
    respond: (status, _headers, body) => {
      got.status = status;
      got.body = body;
    },
    startSse: () => {
      got.status = 200;
      return {
        write: (chunk) => {
          got.sse.push(chunk);
          return true;
        },
        end: () => {
          got.ended = true;
        },
        onClose: () => undefined,
      };
    },
  };
}

const request = (id: number): JsonRpcRequest => ({ jsonrpc: "2.0", id, method: "tools/call" });

/** A session whose requests answer after `delays[id]` ms (-1: at once, 0: next turn). */
function session(delays: Record<number, number>): HttpSession {
  const handler = {
    dispatch: async (_session: Session, message: JsonRpcMessage) => {
      const { id } = message as JsonRpcRequest;
      const delay = delays[id as number] ?? -1;
      if (delay >= 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return { jsonrpc: "2.0" as const, id: id as number, result: { id } };
    },
  };
  return new HttpSession(new Session("s", handler), { replayBufferSize: 8, retainedStreams: 4 });
}

describe("RequestResponder", () => {
  it("answers the requests of one turn that finish at once with JSON, the others with SSE", async () => {
    const http = session({ 2: 5, 4: 0 });
    const responder = new RequestResponder({ retryMs: 1000, immediateJson: true });
    const exchanges = [1, 2, 3, 4].map(() => exchange());
    await Promise.all(exchanges.map((ex, i) => responder.answer(ex, http, request(i + 1))));
    const [one, two, three, four] = exchanges.map((ex) => ex.got);
    expect(one).toMatchObject({ status: 200, body: '{"jsonrpc":"2.0","id":1,"result":{"id":1}}', sse: [] });
    expect(three).toMatchObject({ status: 200, sse: [] });
    for (const slow of [two, four]) {
      expect(slow?.body).toBeUndefined();
      expect(slow?.ended).toBe(true);
      expect(slow?.sse.at(-1)).toContain('"result"');
    }
  });

  it("always streams when immediateJson is off", async () => {
    const http = session({});
    const responder = new RequestResponder({ retryMs: 1000, immediateJson: false });
    const ex = exchange();
    await responder.answer(ex, http, request(1));
    expect(ex.got.body).toBeUndefined();
    expect(ex.got.sse.at(-1)).toContain('"id":1');
  });
});
