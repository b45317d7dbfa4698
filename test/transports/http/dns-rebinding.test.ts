import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isFastestMcpError } from "../../../src/errors.js";
import type { FastestMCP } from "../../../src/fastestmcp.js";
import type { StreamableHttpOptions } from "../../../src/transports/http/streamable-http.js";
import { closedAfterEach, ECHO_CALL, INITIALIZE, postHeaders, rawRequest } from "./raw-http.js";

const { echoServer, serve } = closedAfterEach("rebinding");

/** `http.createServer(server.nodeHandler(options))` on 127.0.0.1, as the docs show it. */
async function nodeFront(options: StreamableHttpOptions = {}): Promise<{ server: FastestMCP; port: number }> {
  const server = echoServer();
  return { server, port: await serve(server.nodeHandler({ keepAliveMs: 0, ...options })) };
}

async function initialize(port: number, host = `127.0.0.1:${port}`): Promise<string> {
  const answer = await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE);
  expect(answer.status).toBe(200);
  return answer.headers["mcp-session-id"] as string;
}

function forbidden(answer: { status: number; body: string }, header: "host" | "origin") {
  expect(answer.status).toBe(403);
  const body = JSON.parse(answer.body) as { error: { code: number; message: string; data: unknown } };
  expect(body.error).toMatchObject({ code: -32600, data: { reason: "forbidden", header } });
  return body.error.message;
}

describe("DNS rebinding: nodeHandler() with default options", () => {
  it("refuses a rebinding page's initialize, tools/call, GET and DELETE with 403; the session survives", async () => {
    const { server, port } = await nodeFront();
    const session = await initialize(port);
    // The page was loaded from evil.example:PORT, whose name now resolves to 127.0.0.1.
    const evil = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };

    const message = forbidden(await rawRequest(port, "POST", postHeaders(evil), INITIALIZE), "host");
    expect(message).toContain('Host "evil.example:');
    expect(message).toContain("allowedHosts");
    const withSession = { ...evil, "mcp-session-id": session };
    forbidden(await rawRequest(port, "POST", postHeaders(withSession), ECHO_CALL), "host");
    // A same-origin GET carries no Origin: only the Host check stands between the page and the stream.
    forbidden(
      await rawRequest(port, "GET", {
        host: evil.host,
        accept: "text/event-stream",
        "mcp-session-id": session,
      }),
      "host",
    );
    forbidden(await rawRequest(port, "DELETE", withSession), "host");

    expect(server.sessions.size).toBe(1);
    const call = await rawRequest(
      port,
      "POST",
      postHeaders({ host: `127.0.0.1:${port}`, "mcp-session-id": session }),
      ECHO_CALL,
    );
    expect(call.status).toBe(200);
    expect(JSON.parse(call.body)).toMatchObject({ result: { content: [{ text: "hi" }] } });
  });

  it("lets loopback names through on any port, in any case, with a trailing dot or IPv6 brackets", async () => {
    const { port } = await nodeFront();
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `localhost.:${port}`,
      `[::1]:${port}`,
      "localhost",
      "127.0.0.1:8080", // behind a proxy that forwards its own port
    ]) {
      expect((await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE)).status, host).toBe(200);
    }
    for (const host of [
      "evil.example",
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `[::1].evil.example:${port}`,
      `::1:${port}`,
      `localhost:${port}:1`,
      "localhost:99999",
      "local host",
    ]) {
      forbidden(await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE), "host");
    }
  });

  it("checks Origin against the request's own origin: null and other origins are refused", async () => {
    const { port } = await nodeFront();
    const host = `localhost:${port}`;
    const same = await rawRequest(
      port,
      "POST",
      postHeaders({ host, origin: `http://LOCALHOST:${port}` }),
      INITIALIZE,
    );
    expect(same.status).toBe(200);
    expect(
      (
        await rawRequest(
          port,
          "POST",
          postHeaders({ host: "localhost", origin: "http://localhost" }),
          INITIALIZE,
        )
      ).status,
    ).toBe(200);
    forbidden(await rawRequest(port, "POST", postHeaders({ host, origin: "null" }), INITIALIZE), "origin");
    const otherPort = forbidden(
      await rawRequest(port, "POST", postHeaders({ host, origin: "http://localhost:1" }), INITIALIZE),
      "origin",
    );
    expect(otherPort).toContain("allowedOrigins");
  });

  it("quotes at most about 100 characters of a huge header in its message", async () => {
    const { port } = await nodeFront();
    const host = `${"a".repeat(5000)}.example`;
    const message = forbidden(await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE), "host");
    expect(message.length).toBeLessThan(600);
    expect(message).toContain("…");
  });
});

describe("DNS rebinding: explicit allow-lists", () => {
  it("allowedHosts replaces the loopback default: a bare name allows any port, name:port one port", async () => {
    const { port } = await nodeFront({ allowedHosts: ["mcp.example.com", "api.example.com:443"] });
    for (const host of [
      "mcp.example.com",
      "MCP.example.com.:8443",
      "api.example.com:443",
      "api.example.com",
    ]) {
      expect((await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE)).status, host).toBe(200);
    }
    for (const host of ["api.example.com:8443", `127.0.0.1:${port}`, "evil.example.com"]) {
      const message = forbidden(await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE), "host");
      expect(message).toContain("allowedHosts: mcp.example.com, api.example.com:443");
    }
  });

  it("allowedOrigins lets exactly the listed web apps call", async () => {
    const { port } = await nodeFront({
      allowedHosts: ["mcp.example.com"],
      allowedOrigins: ["https://app.example.com/", "null"],
    });
    const host = "mcp.example.com";
    for (const origin of ["https://app.example.com", "https://APP.example.com:443", "null"]) {
      expect((await rawRequest(port, "POST", postHeaders({ host, origin }), INITIALIZE)).status, origin).toBe(
        200,
      );
    }
    for (const origin of ["http://app.example.com", "https://app.example.com:8443", "https://evil.example"]) {
      forbidden(await rawRequest(port, "POST", postHeaders({ host, origin }), INITIALIZE), "origin");
    }
    // No Origin: not a browser, nothing to check.
    expect((await rawRequest(port, "POST", postHeaders({ host }), INITIALIZE)).status).toBe(200);
  });

  it('allowedHosts: ["*"] switches the Host check off', async () => {
    const { port } = await nodeFront({ allowedHosts: ["*"] });
    expect(
      (await rawRequest(port, "POST", postHeaders({ host: "anything.example" }), INITIALIZE)).status,
    ).toBe(200);
  });

  it("refuses allow-list entries that are not hosts or origins when the handler is made", () => {
    const server = echoServer();
    for (const options of [
      { allowedHosts: ["http://mcp.example.com"] },
      { allowedHosts: ["mcp.example.com/mcp"] },
      { allowedOrigins: ["app.example.com"] },
      { allowedOrigins: ["https://app.example.com/path"] },
    ]) {
      let thrown: unknown;
      try {
        server.nodeHandler(options);
      } catch (error) {
        thrown = error;
      }
      expect(
        isFastestMcpError(thrown) && thrown.code === "FMCP_ERR_OPTION_INVALID",
        JSON.stringify(options),
      ).toBe(true);
    }
  });
});

describe("DNS rebinding: fetchHandler() and server.fetch()", () => {
  const post = (url: string, headers: Record<string, string>, body: unknown) =>
    new Request(url, { method: "POST", headers: postHeaders(headers), body: JSON.stringify(body) });

  it("refuses a rebinding request's initialize, tools/call, GET and DELETE with 403", async () => {
    const server = echoServer();
    const handler = server.fetchHandler({ keepAliveMs: 0 });
    const init = await handler(post("http://127.0.0.1:3000/mcp", {}, INITIALIZE));
    expect(init.status).toBe(200);
    const session = init.headers.get("mcp-session-id") as string;
    const evil = "http://evil.example:3000/mcp";
    const headers = { host: "evil.example:3000", origin: "http://evil.example:3000" };
    const answers = [
      await handler(post(evil, headers, INITIALIZE)),
      await handler(post(evil, { ...headers, "mcp-session-id": session }, ECHO_CALL)),
      await handler(
        new Request(evil, {
          headers: { host: headers.host, accept: "text/event-stream", "mcp-session-id": session },
        }),
      ),
      await handler(
        new Request(evil, { method: "DELETE", headers: { ...headers, "mcp-session-id": session } }),
      ),
      // A Request without a Host header is judged by the host its URL names.
      await handler(post(evil, {}, INITIALIZE)),
      await server.fetch(post(evil, {}, INITIALIZE)),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { data: { reason: "forbidden", header: "host" } } });
    }
    expect(server.sessions.size).toBe(1);
    expect((await server.fetch(post("http://localhost/mcp", {}, INITIALIZE))).status).toBe(200);
  });

  it("serves the names listed in allowedHosts", async () => {
    const server = echoServer();
    const handler = server.fetchHandler({ keepAliveMs: 0, allowedHosts: ["mcp.example.com"] });
    expect((await handler(post("https://mcp.example.com/mcp", {}, INITIALIZE))).status).toBe(200);
    expect((await handler(post("http://localhost/mcp", {}, INITIALIZE))).status).toBe(403);
  });
});

describe("DNS rebinding: listen()", () => {
  it("keeps its port-exact default on loopback", async () => {
    const server = echoServer();
    const handle = await server.listen({ keepAliveMs: 0 });
    const port = handle.port;
    expect(
      (await rawRequest(port, "POST", postHeaders({ host: `localhost:${port}` }), INITIALIZE)).status,
    ).toBe(200);
    const message = forbidden(
      await rawRequest(port, "POST", postHeaders({ host: `localhost:${port + 1}` }), INITIALIZE),
      "host",
    );
    expect(message).toContain(`127.0.0.1:${port}`);
    forbidden(await rawRequest(port, "POST", postHeaders({ host: "localhost" }), INITIALIZE), "host");
    forbidden(
      await rawRequest(port, "POST", postHeaders({ host: `evil.example:${port}` }), INITIALIZE),
      "host",
    );
  });
});

describe("DNS rebinding: bad options", () => {
  it("listen() with an allowedHosts entry that is not a host throws and leaves no port open", async () => {
    const server = echoServer();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(server.listen({ port, allowedHosts: ["https://mcp.example.com/"] })).rejects.toMatchObject({
      code: "FMCP_ERR_OPTION_INVALID",
    });
    // The port is free again: the failed listen() closed what it had opened.
    const handle = await server.listen({ port, keepAliveMs: 0 });
    expect(handle.port).toBe(port);
  });
});
