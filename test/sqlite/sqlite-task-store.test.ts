import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { SqliteTaskStore } from "../../src/sqlite.js";
import { describeTaskStore } from "../../src/testing.js";

const dir = mkdtempSync(join(tmpdir(), "fastestmcp-sqlite-suite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeTaskStore(
  "SqliteTaskStore (:memory:)",
  () => new SqliteTaskStore({ path: ":memory:" }),
  { describe, it },
  {
    dispose: (store) => store.close(),
  },
);

describeTaskStore(
  "SqliteTaskStore (file)",
  () => new SqliteTaskStore({ path: join(dir, `suite-${++files}.db`) }),
  { describe, it },
  { dispose: (store) => store.close() },
);
