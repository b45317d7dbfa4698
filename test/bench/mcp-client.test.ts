import { afterEach, describe, expect, it, vi } from "vitest";
import { McpHttpClient } from "../../bench/lib/mcp-client.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

const encoder = new TextEncoder();

/** Makes the global fetch answer every request with this SSE body, cut into these byte chunks. */
function answerWith(chunks: () => Uint8Array[]): void {
  vi.stubGlobal("fetch", async () => {
    const queue = chunks();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = queue.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
}

// A priming event, a keepalive comment, CRLF line ends, multi-line data, a 3-byte character, the answer.
const stream =
  "id: s.0\nretry: 1000\ndata: \n\n: keepalive\n\n" +
  'id: s.1\r\nevent: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress",\r\ndata: "params":{"progress":1,"message":"€"}}\r\n\r\n' +
  'id: s.2\nevent: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"done"}]}}\n\n';

async function call(): Promise<{ text: unknown; progress: unknown[] }> {
  const progress: unknown[] = [];
  const { result } = await new McpHttpClient("http://127.0.0.1/mcp").request("tools/call", {}, (message) =>
    progress.push(message.params),
  );
  return { text: (result.content as Array<{ text: string }>)[0]?.text, progress };
}

describe("bench MCP client", () => {
  it("reads the notifications and the answer of an SSE stream wherever it is cut into chunks", async () => {
    const bytes = encoder.encode(stream);
    const expected = { text: "done", progress: [{ progress: 1, message: "€" }] };
    answerWith(() => [bytes]);
    expect(await call()).toEqual(expected);
    for (let cut = 1; cut < bytes.length; cut++) {
      answerWith(() => [bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(await call()).toEqual(expected);
    }
  });
});
