import { afterEach, describe, expect, it } from "vitest";
import { FastestMcpError } from "../../../src/errors.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { SessionLimitError } from "../../../src/server/session/session-errors.js";
import { HttpHarness } from "../../transports/http/http-harness.js";

const servers: FastestMCP[] = [];
const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function server(maxSessions?: number): FastestMCP {
  const created = FastestMCP.server("sessions", maxSessions === undefined ? {} : { maxSessions }).addTool(
    "echo",
    ({ text }) => String(text),
  );
  servers.push(created);
  return created;
}

describe("maxSessions", () => {
  it("refuses a session past the cap with a clear error, and accepts one again after a session ends", async () => {
    const s = server(2);
    const a = s.sessions.create();
    s.sessions.create();
    let error: unknown;
    try {
      s.sessions.create();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SessionLimitError);
    expect(error).toMatchObject({ code: -32005, reason: "session-limit-exceeded", data: { limit: 2 } });
    expect((error as Error).message).toMatch(/maximum of 2 open sessions \(maxSessions\).*Retry later/);
    expect(s.sessions.size).toBe(2);
    await s.sessions.end(a.id);
    expect(s.sessions.create().id).not.toBe(a.id);
  });

  it("defaults to 10,000 sessions", () => {
    const s = server();
    for (let i = 0; i < 10_000; i++) s.sessions.create();
    expect(() => s.sessions.create()).toThrow(SessionLimitError);
  });

  it("rejects a maxSessions that is not a whole number >= 1 when the server is created", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      let error: unknown;
      try {
        FastestMCP.server("bad", { maxSessions: bad });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(FastestMcpError);
      expect(error).toMatchObject({ code: "FMCP_ERR_OPTION_INVALID" });
      expect((error as Error).message).toContain("maxSessions");
    }
  });

  it("answers an HTTP initialize past the cap with 503 and Retry-After; other sessions keep working", async () => {
    const h = await HttpHarness.start(server(2));
    harnesses.push(h);
    /** Opens a new session on the same server; returns its id. */
    const open = async (): Promise<string> => {
      h.sessionId = undefined;
      await h.initialize();
      return String(h.sessionId);
    };
    const first = await open();
    const second = await open();

    h.sessionId = undefined;
    const refused = await h.post(
      h.request(
        "initialize",
        {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "third", version: "1.0.0" },
        },
        "init-3",
      ),
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.headers.get("mcp-session-id")).toBeNull();
    expect(await refused.json()).toMatchObject({
      jsonrpc: "2.0",
      id: "init-3",
      error: { code: -32005, data: { reason: "session-limit-exceeded", limit: 2 } },
    });

    // The open sessions are unaffected.
    for (const sessionId of [first, second]) {
      h.sessionId = sessionId;
      const call = await h.post(
        h.request("tools/call", { name: "echo", arguments: { text: "still here" } }),
        {
          accept: "application/json",
        },
      );
      expect(call.status).toBe(200);
      expect(await call.json()).toMatchObject({
        result: { content: [{ type: "text", text: "still here" }] },
      });
    }

    // Ending one frees a place.
    h.sessionId = first;
    expect((await fetch(h.url, { method: "DELETE", headers: h.headers() })).status).toBe(204);
    expect(await open()).not.toBe(first);
    expect(h.server.sessions.size).toBe(2);
  });
});
