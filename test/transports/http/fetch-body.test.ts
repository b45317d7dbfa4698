import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fetch.js";
import { INITIALIZE, postHeaders } from "./raw-http.js";

// The fetch front reads bodies with web-standard APIs only (no Buffer): chunks are joined and
// decoded as UTF-8 once, as the node:http front does.

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A POST whose body arrives as the given byte chunks (a streamed upload). */
function streamedPost(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("http://127.0.0.1/mcp", {
    method: "POST",
    headers: postHeaders(),
    body,
    duplex: "half",
  } as RequestInit);
}

describe("the fetch front's request bodies", () => {
  it("decodes a body split into one-byte chunks, multi-byte characters included", async () => {
    const server = FastestMCP.server("body");
    servers.push(server);
    const name = "clïent 🦀";
    const bytes = new TextEncoder().encode(
      JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, clientInfo: { name, version: "1" } } }),
    );
    const response = await server.fetch(streamedPost([...bytes].map((byte) => Uint8Array.of(byte))));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe(
      "2025-11-25",
    );
    const session = server.sessions.get(response.headers.get("mcp-session-id") as string);
    expect(session?.clientInfo?.name).toBe(name);
  });

  it("keeps a leading byte-order mark, so such a body is malformed JSON, as on node:http", async () => {
    const server = FastestMCP.server("bom");
    servers.push(server);
    const json = new TextEncoder().encode(JSON.stringify(INITIALIZE));
    const response = await server.fetch(streamedPost([Uint8Array.of(0xef, 0xbb, 0xbf), json]));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });
});
