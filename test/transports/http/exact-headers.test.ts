import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP, type ListenOptions } from "../../../src/fastestmcp.js";
import { HttpHarness } from "./http-harness.js";

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function start(options: ListenOptions = {}): Promise<HttpHarness> {
  const server = FastestMCP.server("exact").addTool("echo", ({ text }) => String(text));
  const h = await HttpHarness.start(server, options);
  harnesses.push(h);
  await h.initialize();
  return h;
}

const echo = (h: HttpHarness) => h.request("tools/call", { name: "echo", arguments: { text: "hi" } });

async function reasonOf(response: Response): Promise<unknown> {
  return ((await response.json()) as { error: { data: { reason: string } } }).error.data.reason;
}

describe("Content-Type is parsed, not searched", () => {
  it.each([
    "text/plain; application/json",
    "multipart/form-data; boundary=application/json",
    "application/x-www-form-urlencoded; application/json",
    "application/jsonp",
    "application/json; charset=latin1",
  ])("answers 415 to %j", async (contentType) => {
    const h = await start();
    const response = await h.post(echo(h), { "content-type": contentType });
    expect(response.status).toBe(415);
    const body = (await response.json()) as { error: { message: string; data: { reason: string } } };
    expect(body.error.data.reason).toBe("unsupported-media-type");
    expect(body.error.message).toContain(JSON.stringify(contentType));
  });

  it("serves application/json with a utf-8 charset, in any case", async () => {
    const h = await start();
    const response = await h.post(echo(h), { "content-type": 'Application/JSON ; Charset="UTF-8"' });
    expect(response.status).toBe(200);
  });
});

describe("Accept is read as media ranges with q-values", () => {
  it("answers JSON when SSE has q=0, or JSON is preferred, even with immediateJson off", async () => {
    const h = await start({ immediateJson: false });
    for (const accept of [
      "text/event-stream;q=0, application/json",
      "text/event-stream;q=0, */*",
      "application/json, text/event-stream;q=0.5",
      "application/*",
    ]) {
      const response = await h.post(echo(h), { accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get("content-type"), accept).toBe("application/json");
      expect(await response.json()).toMatchObject({ result: { content: [{ text: "hi" }] } });
    }
  });

  it("answers SSE for */* and text/*; 406 when neither type is acceptable", async () => {
    const h = await start({ immediateJson: false });
    for (const accept of ["*/*", "text/*, application/json;q=0.5"]) {
      const response = await h.post(echo(h), { accept });
      expect(response.headers.get("content-type"), accept).toBe("text/event-stream");
      await response.text();
    }
    for (const accept of ["application/jsonp, text/event-streams", "*/*;q=0", "text/html"]) {
      const response = await h.post(echo(h), { accept });
      expect(response.status, accept).toBe(406);
      expect(await reasonOf(response)).toBe("not-acceptable");
    }
  });

  it("opens a GET stream only when text/event-stream is acceptable", async () => {
    const h = await start();
    const refused = await h.openGet({ accept: "text/event-stream;q=0, */*" });
    expect(refused.status).toBe(406);
    const stream = await h.openGet({ accept: "text/*" });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });
});

describe("Last-Event-ID", () => {
  it.each(["garbage", "1.0", "1.-1", ".1", "1.x"])(
    "answers 400 to %j instead of opening a new stream",
    async (id) => {
      const h = await start();
      const response = await h.openGet({ "last-event-id": id });
      expect(response.status).toBe(400);
      expect(await reasonOf(response)).toBe("invalid-event-id");
      // The standalone stream was not taken: a plain GET still opens it.
      const stream = await h.openGet();
      expect(stream.status).toBe(200);
      await stream.body?.cancel();
    },
  );
});

describe("MCP-Protocol-Version", () => {
  it("must not be newer than the session's negotiated version on POST, GET and DELETE (400)", async () => {
    const server = FastestMCP.server("exact").addTool("echo", ({ text }) => String(text));
    const h = await HttpHarness.start(server);
    harnesses.push(h);
    h.protocolVersion = "2025-06-18";
    await h.initialize();
    const other = { "mcp-protocol-version": "2025-11-25" };
    const post = await h.post(echo(h), other);
    expect(post.status).toBe(400);
    expect(await post.json()).toMatchObject({
      error: { code: -32600, data: { reason: "protocol-version-mismatch", negotiated: "2025-06-18" } },
    });
    const get = await h.openGet(other);
    expect(get.status).toBe(400);
    expect(await reasonOf(get)).toBe("protocol-version-mismatch");
    const deleted = await fetch(h.url, { method: "DELETE", headers: h.headers(other) });
    expect(deleted.status).toBe(400);
    expect(h.server.sessions.size).toBe(1);
  });

  it("may be an older supported version, the spec's fallback (the conformance suite sends one)", async () => {
    const h = await start();
    const response = await h.post(echo(h), { "mcp-protocol-version": "2025-03-26" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: { content: [{ text: "hi" }] } });
  });

  it("may be left out (a pre-2025-06-18 client): the negotiated version stands", async () => {
    const h = await start();
    const { "mcp-protocol-version": _, ...headers } = h.headers();
    const response = await fetch(h.url, { method: "POST", headers, body: JSON.stringify(echo(h)) });
    expect(response.status).toBe(200);
  });
});
