/**
 * A real redis-server for tests (and bench/tasks.ts): started on a free loopback port without
 * persistence (`--save "" --appendonly no`, its files in a temporary directory removed on stop),
 * ready once it answers PING. When redis-server is not installed it fails, saying how to install
 * it: the Redis tests never skip.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const INSTALL =
  "redis-server is not installed: apt-get install -y redis-server (the Redis tests need a real server)";

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** SIGTERM, resolved once it exited; its directory is removed. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Sends PING over a plain socket; resolves true on +PONG. */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.setEncoding("utf8");
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.startsWith("+PONG"));
      }
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts redis-server on `port` (default: a free one); resolves once it answers PING. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      return await startOn(chosen);
    } catch (error) {
      // Another process took the free port between our probe and redis-server's bind: pick again.
      if (port !== undefined || attempt === 3 || !String(error).includes("Address already in use"))
        throw error;
    }
  }
}

async function startOn(port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "fastestmcp-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", [...args, "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        reject(error.code === "ENOENT" ? new Error(INSTALL) : error);
      });
      child.once("exit", (code) =>
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
      );
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) resolve();
      };
      child.stdout?.on("data", onOutput);
      child.stderr?.on("data", onOutput);
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  if (!(await ping(port))) {
    await stopChild(child, exited);
    cleanup();
    throw new Error(`redis-server on port ${port} said it was ready but does not answer PING:\n${output}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop() {
      stopped ??= stopChild(child, exited).then(cleanup);
      return stopped;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await exited;
}
