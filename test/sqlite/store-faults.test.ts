import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FastestMcpError } from "../../src/errors.js";
import { FastestMCP } from "../../src/index.js";
import { loadSqliteDriver } from "../../src/sqlite/sqlite-driver.js";
import { SCHEMA_VERSION } from "../../src/sqlite/sqlite-schema.js";
import { SqliteTaskStore } from "../../src/sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "fastestmcp-store-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = () => join(dir, `fault-${++files}.db`);
const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3");

function openError(open: () => unknown): FastestMcpError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(FastestMcpError);
    return error as FastestMcpError;
  }
  throw new Error("the store opened");
}

describe("SqliteTaskStore when the file cannot be used", () => {
  it("refuses a file that is not a SQLite database at open, with FMCP_ERR_STORE_CORRUPT", () => {
    const path = file();
    writeFileSync(path, Buffer.alloc(8192, 7));
    const error = openError(() => new SqliteTaskStore({ path }));
    expect(error.code).toBe("FMCP_ERR_STORE_CORRUPT");
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a database.*restore a backup/);
  });

  it("refuses a path it cannot create, with FMCP_ERR_STORE_OPEN_FAILED", () => {
    const error = openError(() => new SqliteTaskStore({ path: join(dir, "no", "such", "dir", "tasks.db") }));
    expect(error.code).toBe("FMCP_ERR_STORE_OPEN_FAILED");
    expect(error.message).toMatch(/directory exists/);
  });

  it("gives up on a file another connection keeps locked, with FMCP_ERR_STORE_LOCKED", () => {
    const path = file();
    new SqliteTaskStore({ path }).close();
    const holder = new Database(path);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const error = openError(() => new SqliteTaskStore({ path, busyTimeoutMs: 50 }));
      expect(error.code).toBe("FMCP_ERR_STORE_LOCKED");
      expect(error.message).toMatch(/busyTimeoutMs/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("refuses a file a newer version migrated, with FMCP_ERR_STORE_SCHEMA_NEWER", () => {
    const path = file();
    new SqliteTaskStore({ path }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = openError(() => new SqliteTaskStore({ path }));
    expect(error.code).toBe("FMCP_ERR_STORE_SCHEMA_NEWER");
    expect(error.message).toMatch(/upgrade fastestmcp/);
  });

  it("says to install better-sqlite3 when it is missing, with FMCP_ERR_STORE_DRIVER_MISSING", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'better-sqlite3'"), { code: "MODULE_NOT_FOUND" });
    };
    const error = openError(() => loadSqliteDriver(missing));
    expect(error.code).toBe("FMCP_ERR_STORE_DRIVER_MISSING");
    expect(error.message).toContain("npm install better-sqlite3");
  });

  it("rejects bad options before opening anything, with FMCP_ERR_OPTION_INVALID", () => {
    const bad = [{ path: "" }, { path: file(), leaseMs: 0 }, { path: file(), progressFlushMs: 5000 }];
    for (const options of [...bad, { path: file(), maxSizeBytes: Number.NaN }]) {
      expect(openError(() => new SqliteTaskStore(options)).code).toBe("FMCP_ERR_OPTION_INVALID");
    }
  });

  it("migrates a new file to the current schema version, in WAL mode", () => {
    const path = file();
    new SqliteTaskStore({ path }).close();
    const raw = new Database(path);
    expect(raw.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });
});

describe("SqliteTaskStore when a write fails", () => {
  it("fails the call that wrote (disk full) and loses nothing stored before", async () => {
    const store = new SqliteTaskStore({ path: file(), maxSizeBytes: 96 * 1024 });
    const quiet = { warn: () => undefined, error: () => undefined };
    const server = FastestMCP.server("full", { logger: quiet, tasks: { store } }).addTool(
      "big",
      () => "x".repeat(300),
      {
        task: true,
      },
    );
    const stored: string[] = [];
    let failure: unknown;
    try {
      for (let i = 0; i < 5000 && failure === undefined; i++) {
        try {
          const task = await server.callTool("big", {}, { task: true });
          stored.push(task.taskId);
        } catch (error) {
          failure = error;
        }
      }
      expect(failure).toBeInstanceOf(FastestMcpError);
      expect(failure).toMatchObject({ code: "FMCP_ERR_STORE_WRITE_FAILED" });
      expect((failure as Error).message).toMatch(/full.*rolled back/);
      expect(stored.length).toBeGreaterThan(10);
      for (const taskId of stored) {
        const info = await server.fetchTask(taskId);
        expect(info.taskId).toBe(taskId);
      }
    } finally {
      await server.close();
      store.close();
    }
  });
});
