import { describe, expect, it } from "vitest";
import { StreamableHttpClientTransport } from "../../src/client/http-client-transport.js";
import type { JsonRpcMessage } from "../../src/protocol/jsonrpc.js";

const encoder = new TextEncoder();
const request = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "t" } } as const;

/** A fetch answering each call with the next SSE body, as these byte chunks; records the requests. */
function sseFetch(bodies: Uint8Array[][]) {
  const requests: Array<{ method: string; headers: Record<string, string> }> = [];
  const fetch = (async (_url: unknown, init?: RequestInit) => {
    requests.push({
      method: String(init?.method),
      headers: { ...(init?.headers as Record<string, string>) },
    });
    const chunks = bodies.shift() ?? [];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** Sends `request` and collects what the transport delivers until the response to it arrives. */
async function exchange(
  fetch: typeof globalThis.fetch,
  reconnectDelayMs = 60_000,
): Promise<JsonRpcMessage[]> {
  const transport = new StreamableHttpClientTransport("http://127.0.0.1/mcp", { fetch, reconnectDelayMs });
  const messages: JsonRpcMessage[] = [];
  const answered = new Promise<void>((resolve) => {
    void transport.start({
      onMessage: (message) => {
        messages.push(message);
        if ("id" in message && message.id === 7 && !("method" in message)) resolve();
      },
      onClose: () => undefined,
    });
  });
  await transport.send(request);
  await answered;
  await transport.close();
  return messages;
}

/** Splits `bytes` at `cut` (and nowhere else). */
const cutAt = (bytes: Uint8Array, cut: number) => [bytes.subarray(0, cut), bytes.subarray(cut)];

// One stream with everything a server may send: a priming event with a retry, a keepalive
// comment, CRLF line ends, multi-line data, a non-ASCII character (3 bytes in UTF-8), the answer.
const stream =
  "id: s.0\nretry: 10\ndata: \n\n" +
  ": keepalive\n\n" +
  'id: s.1\r\nevent: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/message",\r\ndata: "params":{"data":"€ 5"}}\r\n\r\n' +
  'id: s.2\nevent: message\ndata: {"jsonrpc":"2.0","id":7,"result":{"ok":true}}\n\n';
const expected = [
  { jsonrpc: "2.0", method: "notifications/message", params: { data: "€ 5" } },
  { jsonrpc: "2.0", id: 7, result: { ok: true } },
];

describe("Streamable HTTP client transport: reading SSE", () => {
  it("delivers the messages of an SSE stream: comments skipped, CRLF and multi-line data joined", async () => {
    const { fetch } = sseFetch([[encoder.encode(stream)]]);
    expect(await exchange(fetch)).toEqual(expected);
  });

  it("gives the same messages wherever the stream is cut, also inside an event or a UTF-8 character", async () => {
    const bytes = encoder.encode(stream);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { fetch } = sseFetch([cutAt(bytes, cut)]);
      expect(await exchange(fetch)).toEqual(expected);
    }
    const { fetch } = sseFetch([[...bytes].map((byte) => Uint8Array.of(byte))]);
    expect(await exchange(fetch)).toEqual(expected);
  });

  it("resumes a stream that ends early from its last event id, after the server's retry delay", async () => {
    // The default delay is a minute: the test ends in time only when `retry: 10` was taken.
    const first = encoder.encode(
      'id: s.0\nretry: 10\ndata: \n\nid: s.1\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"data":"one"}}\n\nid: s.2\ndata: {"jsonrpc"',
    );
    const second = encoder.encode('id: s.2\ndata: {"jsonrpc":"2.0","id":7,"result":{"ok":true}}\n\n');
    const { fetch, requests } = sseFetch([[first], [second]]);
    expect(await exchange(fetch)).toEqual([
      { jsonrpc: "2.0", method: "notifications/message", params: { data: "one" } },
      { jsonrpc: "2.0", id: 7, result: { ok: true } },
    ]);
    expect(requests[1]).toMatchObject({ method: "GET", headers: { "last-event-id": "s.1" } });
  });
});

describe("Streamable HTTP client transport: answers to notifications", () => {
  // The official conformance suite's `initialize` scenario answers every POST that is not
  // initialize or tools/list with 200 and `{"jsonrpc":"2.0","result":{}}` (no id), where the spec
  // wants 202 without a body; Client.connect used to throw on it.
  for (const body of ['{"jsonrpc":"2.0","result":{}}', "", "not json"]) {
    it(`reads past a 200 answer to a notification: ${JSON.stringify(body)}`, async () => {
      const delivered: JsonRpcMessage[] = [];
      const fetch = (async () =>
        new Response(body, { headers: { "content-type": "application/json" } })) as typeof globalThis.fetch;
      const transport = new StreamableHttpClientTransport("http://127.0.0.1/mcp", { fetch });
      await transport.start({ onMessage: (message) => delivered.push(message), onClose: () => undefined });
      await transport.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await transport.send({ jsonrpc: "2.0", id: 3, result: {} });
      expect(delivered).toEqual([]);
    });
  }

  it("still fails a request whose JSON answer is not JSON-RPC", async () => {
    const fetch = (async () =>
      new Response('{"jsonrpc":"2.0","result":{}}', {
        headers: { "content-type": "application/json" },
      })) as typeof globalThis.fetch;
    const transport = new StreamableHttpClientTransport("http://127.0.0.1/mcp", { fetch });
    await transport.start({ onMessage: () => undefined, onClose: () => undefined });
    await expect(transport.send(request)).rejects.toMatchObject({ reason: "malformed-response" });
  });
});
