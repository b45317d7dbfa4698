import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "../../src/client/client.js";
import { isFastestMcpError } from "../../src/errors.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import type { DiagnosticLogger, LogDetails } from "../../src/util/diagnostics.js";
import { openSession } from "./session/session-harness.js";

interface Event {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  details: LogDetails | undefined;
}

/** A logger that keeps what it hears; `next(message)` resolves when that event arrives. */
function recordingLogger() {
  const events: Event[] = [];
  const waiters: Array<{ message: string; resolve: (event: Event) => void }> = [];
  const record = (level: Event["level"]) => (message: string, details?: LogDetails) => {
    const event = { level, message, details };
    events.push(event);
    for (const waiter of waiters.splice(0)) {
      if (waiter.message === message) waiter.resolve(event);
      else waiters.push(waiter);
    }
  };
  const logger: Required<DiagnosticLogger> = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  const next = (message: string) =>
    new Promise<Event>((resolve) => {
      const seen = events.find((event) => event.message === message);
      if (seen) resolve(seen);
      else waiters.push({ message, resolve });
    });
  return { logger, events, next };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function serverWith(logger: DiagnosticLogger): FastestMCP {
  const server = FastestMCP.server("logged", { logger, progressIntervalMs: 0 })
    .addTool(
      "steps",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 2);
        ctx.log.info("one step");
        return "done";
      },
      { task: true },
    )
    .addResource("file:///boom", () => {
      throw new TypeError("boom");
    });
  cleanups.push(() => server.close());
  return server;
}

describe("the server's logger option", () => {
  it("hears an unexpected handler error at error level, a client's mistake at debug level", async () => {
    const { logger, events } = recordingLogger();
    const server = serverWith(logger);
    const { init, request } = openSession(server);
    await init();
    expect(await request("resources/read", { uri: "file:///boom" })).toMatchObject({
      error: { code: -32603 },
    });
    expect(await request("tools/call", { name: "nope" })).toMatchObject({ error: { code: -32602 } });
    const [failed, refused] = events;
    expect(failed).toMatchObject({
      level: "error",
      message: "request failed",
      details: { method: "resources/read" },
    });
    expect(failed?.details?.error).toBeInstanceOf(TypeError);
    expect(refused).toMatchObject({
      level: "debug",
      message: "request refused",
      details: { method: "tools/call" },
    });
    expect(events).toHaveLength(2);
  });

  it("hears listeners that throw: onProgress, onLog and task events", async () => {
    const { logger, next } = recordingLogger();
    const server = serverWith(logger);
    const thrower = () => {
      throw new Error("listener broke");
    };
    expect(await server.callTool("steps", {}, { onProgress: thrower, onLog: thrower })).toBe("done");
    expect((await next("progress listener threw")).details?.error).toMatchObject({
      message: "listener broke",
    });
    expect((await next("log listener threw")).level).toBe("error");
    server.onTaskEvent(thrower);
    const task = await server.callTool("steps", {}, { task: true });
    await server.awaitTask(task, 5_000);
    expect((await next("task event listener threw")).details).toMatchObject({
      error: { message: "listener broke" },
    });
  });

  it("is what the HTTP fronts report to: a client that breaks off its body is a warning", async () => {
    const { logger, next } = recordingLogger();
    const server = serverWith(logger);
    const http = createServer(server.nodeHandler({ keepAliveMs: 0 }));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => http.close(() => resolve())));
    const port = (http.address() as AddressInfo).port;
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    socket.end(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 100\r\n\r\n{`,
    );
    const event = await next("could not read a request body");
    expect(event.level).toBe("warn");
    expect(event.details?.error).toMatchObject({ code: "ECONNRESET" });
  });

  it("can be silenced with { warn() {}, error() {} }", async () => {
    const server = serverWith({ warn() {}, error() {} });
    const { init, request } = openSession(server);
    await init();
    expect(await request("resources/read", { uri: "file:///boom" })).toMatchObject({
      error: { code: -32603 },
    });
  });

  it("must have warn and error methods", () => {
    for (const logger of [{}, { warn() {} }, "console", null]) {
      let thrown: unknown;
      try {
        FastestMCP.server("bad", { logger: logger as never });
      } catch (error) {
        thrown = error;
      }
      expect(isFastestMcpError(thrown) && thrown.code === "FMCP_ERR_OPTION_INVALID").toBe(true);
    }
    expect(() => FastestMCP.server("console", { logger: console })).not.toThrow();
  });
});

describe("the client's logger option", () => {
  it("hears a handler of the client's that throws", async () => {
    const server = serverWith({ warn() {}, error() {} });
    const handle = await server.listen({ keepAliveMs: 0 });
    const { logger, next } = recordingLogger();
    const client = await Client.connect(handle.url, {
      logger,
      progressHandler: () => {
        throw new Error("handler broke");
      },
    });
    cleanups.push(() => client.close());
    await client.callTool("steps", {}, { onProgress: () => undefined });
    const event = await next("client handler threw");
    expect(event.details).toMatchObject({
      method: "notifications/progress",
      error: { message: "handler broke" },
    });
  });
});
