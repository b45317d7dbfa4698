/**
 * The life of one stateless (2026-07-28) request's session, as the transports drive it: closed
 * (the client left) before its request reaches the dispatcher, or ended gracefully by the
 * transport (stdio at end of input) before its `subscriptions/listen` stream has started.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import type { JsonRpcMessage } from "../../../src/protocol/jsonrpc.js";
import { REVISION_2026_07_28, readEnvelope } from "../../../src/protocol/revisions/2026-07-28.js";

const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function statelessSession(server: FastestMCP, sent: JsonRpcMessage[] = []) {
  servers.push(server);
  return server.sessions.openStateless(REVISION_2026_07_28, readEnvelope({ _meta: META }), {
    send: (message) => sent.push(message),
  });
}

describe("a stateless request's session", () => {
  it("cancels a request that reaches the dispatcher after its session closed: its handler never runs, no answer", async () => {
    let ran = false;
    const server = FastestMCP.server("closed", { version: "1.0.0" }).addTool("touch", async () => {
      ran = true;
      return "touched";
    });
    const session = statelessSession(server);
    session.close("The client closed the request's connection.");
    const response = await session.handle({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "touch", arguments: {}, _meta: META },
    });
    expect(response).toBeUndefined();
    expect(ran).toBe(false);
  });

  it("answers a listen stream ended before it started with its empty result, after the acknowledgement", async () => {
    const sent: JsonRpcMessage[] = [];
    const session = statelessSession(FastestMCP.server("ended", { version: "1.0.0" }), sent);
    session.endGracefully();
    const response = await session.handle({
      jsonrpc: "2.0",
      id: "sub",
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true }, _meta: META },
    });
    expect(sent.map((message) => (message as { method?: string }).method)).toEqual([
      "notifications/subscriptions/acknowledged",
    ]);
    expect(response).toMatchObject({
      id: "sub",
      result: { resultType: "complete", _meta: { "io.modelcontextprotocol/subscriptionId": "sub" } },
    });
  });
});
