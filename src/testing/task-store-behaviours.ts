import type { TaskRecord } from "../tasks/task-record.js";
import type { NewTaskRecord, OwnerQuota, TaskStore } from "../tasks/task-store.js";
import { randomUUID } from "../util/random-uuid.js";
import { check, rejectionOf, same } from "./store-assertions.js";

/** One behaviour every {@link TaskStore} has: a name for the test, and the check, on a fresh store. */
export interface TaskStoreBehaviour {
  readonly name: string;
  run(store: TaskStore): Promise<void>;
}

const ROOMY: OwnerQuota = { maxTasks: 1_000_000, maxResultBytes: Number.MAX_SAFE_INTEGER };

/** A new working record; ids and owners are unique per call, so stores may be shared between tests. */
function fresh(overrides: Partial<NewTaskRecord> = {}): NewTaskRecord {
  return {
    taskId: randomUUID(),
    owner: "owner-a",
    toolName: "tool",
    status: "working",
    createdAt: "2026-01-01T00:00:00.000Z",
    lastUpdatedAt: "2026-01-01T00:00:00.000Z",
    ttl: 60_000,
    expiresAt: Date.now() + 60_000,
    pollInterval: 1000,
    ...overrides,
  };
}

async function created(store: TaskStore, record: NewTaskRecord, quota = ROOMY): Promise<TaskRecord> {
  const write = await store.create(record, quota);
  check(write !== undefined, "create within the quota stores the record");
  return write.record;
}

/** Creates `n` tasks of one (new) owner and returns them in creation order. */
async function several(store: TaskStore, n: number, owner = `owner-${randomUUID()}`): Promise<TaskRecord[]> {
  const records: TaskRecord[] = [];
  for (let i = 0; i < n; i++) records.push(await created(store, fresh({ owner })));
  return records;
}

async function allPages(store: TaskStore, owner: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(owner, { cursor, limit });
    check(page.tasks.length <= limit, "a page holds at most `limit` tasks");
    ids.push(...page.tasks.map((task) => task.taskId));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

const done = (status: "completed" | "failed" | "cancelled" = "completed") => ({
  status,
  lastUpdatedAt: "2026-01-01T00:00:01.000Z",
});

/**
 * The table of behaviours a {@link TaskStore} must have, whatever keeps the records: run them
 * with `describeTaskStore` (`fastestmcp/testing`).
 */
export const TASK_STORE_BEHAVIOURS: readonly TaskStoreBehaviour[] = [
  {
    name: "stores plain JSON and never shares objects with its callers",
    async run(store) {
      const given = fresh();
      const record = await created(store, given);
      same(record, { ...given, seq: record.seq }, "create returns the record with its seq");
      given.status = "failed";
      const read = await store.get(given.taskId);
      same(read, record, "get returns what was created, not the caller's object");
      try {
        if (read !== undefined) read.status = "completed";
      } catch {
        // A frozen record is fine too.
      }
      same((await store.get(given.taskId))?.status, "working", "a changed read does not change the store");
      check((await store.get(randomUUID())) === undefined, "an unknown id reads undefined");
    },
  },
  {
    name: "gives every new task a greater seq than any before it",
    async run(store) {
      const records = [...(await several(store, 3)), ...(await several(store, 2))];
      for (let i = 1; i < records.length; i++) {
        check((records[i]?.seq ?? 0) > (records[i - 1]?.seq ?? 0), "seq increases with creation");
      }
    },
  },
  {
    name: "conditional writes: update applies while the task is not terminal",
    async run(store) {
      const { taskId } = await created(store, fresh());
      const progress = { current: 2, total: 5, message: "two", reportedAt: "2026-01-01T00:00:00.500Z" };
      const updated = await store.update(taskId, { statusMessage: "two", progress });
      same(updated?.progress, progress, "update returns the new record");
      same((await store.get(taskId))?.statusMessage, "two", "update is stored");
      check(
        (await store.update(randomUUID(), { statusMessage: "x" })) === undefined,
        "unknown ids change nothing",
      );
      const three = { current: 3, total: 5, message: "three", reportedAt: "2026-01-01T00:00:00.700Z" };
      const four = { current: 4, reportedAt: "2026-01-01T00:00:00.800Z" };
      const both = await store.updateProgress([
        { taskId, progress: three },
        { taskId: randomUUID(), progress: four },
      ]);
      same(both, [true, false], "updateProgress answers once per entry: stored, or not for an unknown task");
      const after = await store.get(taskId);
      same(after?.progress, three, "updateProgress stores the progress");
      same(after?.statusMessage, "three", "its message becomes the status message");
      same(after?.lastUpdatedAt, three.reportedAt, "its reportedAt becomes lastUpdatedAt");
      await store.updateProgress([{ taskId, progress: four }]);
      const later = await store.get(taskId);
      same(later?.progress, four, "progress without a message is stored as it is");
      same(later?.statusMessage, "three", "and leaves the status message alone");
    },
  },
  {
    name: "keeps a waiting task's input requests, and drops them when a patch clears them",
    async run(store) {
      const { taskId } = await created(store, fresh());
      const inputRequests = {
        "elicit-1": {
          method: "elicitation/create",
          params: { message: "Sure?", requestedSchema: { type: "object", properties: {} } },
        },
      };
      const waiting = await store.update(taskId, { status: "input_required", inputRequests });
      same(waiting?.inputRequests, inputRequests, "update returns the input requests");
      same((await store.get(taskId))?.inputRequests, inputRequests, "the input requests are stored");
      const resumed = await store.update(taskId, { status: "working", inputRequests: undefined });
      check(
        resumed !== undefined && !("inputRequests" in resumed),
        "a patch member set to undefined is gone",
      );
      const read = await store.get(taskId);
      check(read !== undefined && !("inputRequests" in read), "and stays gone");
      same(read?.status, "working", "the rest of the patch applies");
    },
  },
  {
    name: "the first terminal write wins; nothing changes a terminal task",
    async run(store) {
      const { taskId } = await created(store, fresh());
      await store.update(taskId, { statusMessage: "busy" });
      const first = await store.complete(taskId, { ...done("cancelled"), statusMessage: "stop" }, 10, ROOMY);
      same(first?.record.status, "cancelled", "the first terminal write is stored");
      check((await store.complete(taskId, done(), 10, ROOMY)) === undefined, "a second terminal write loses");
      check(
        (await store.update(taskId, { statusMessage: "late" })) === undefined,
        "an update after it loses",
      );
      const late = await store.updateProgress([
        { taskId, progress: { current: 9, message: "later", reportedAt: "2026-01-01T00:00:09.000Z" } },
      ]);
      same(late, [false], "a batched progress write after it loses");
      same((await store.get(taskId))?.statusMessage, "stop", "the terminal record is unchanged");
    },
  },
  {
    name: "concurrent terminal writes: exactly one wins",
    async run(store) {
      const { taskId } = await created(store, fresh());
      const writes = await Promise.all([
        store.complete(taskId, done("completed"), 1, ROOMY),
        store.complete(taskId, done("cancelled"), 1, ROOMY),
        store.complete(taskId, done("failed"), 1, ROOMY),
      ]);
      same(writes.filter((write) => write !== undefined).length, 1, "one terminal write wins");
    },
  },
  {
    name: "pages an owner's tasks in creation order with opaque cursors",
    async run(store) {
      const mine = await several(store, 5);
      const owner = mine[0]?.owner ?? "";
      await several(store, 2);
      const first = await store.list(owner, { limit: 2 });
      same(first.tasks, mine.slice(0, 2), "the first page has the oldest tasks, as stored");
      check(typeof first.nextCursor === "string", "a page with more after it has a nextCursor");
      same(
        await allPages(store, owner, 2),
        mine.map((task) => task.taskId),
        "pages cover every task once",
      );
      const last = await store.list(owner, { limit: 5 });
      check(last.nextCursor === undefined, "the last page has no nextCursor");
    },
  },
  {
    name: "pagination stays stable while tasks are created between pages",
    async run(store) {
      const before = await several(store, 3);
      const owner = before[0]?.owner ?? "";
      const page = await store.list(owner, { limit: 2 });
      const later = await several(store, 2, owner);
      const rest: string[] = [];
      let cursor = page.nextCursor;
      while (cursor !== undefined) {
        const next = await store.list(owner, { cursor, limit: 2 });
        rest.push(...next.tasks.map((task) => task.taskId));
        cursor = next.nextCursor;
      }
      same(
        [...page.tasks.map((task) => task.taskId), ...rest],
        [...before, ...later].map((task) => task.taskId),
        "no task is skipped or repeated, and new ones come last",
      );
    },
  },
  {
    name: "rejects a cursor it did not make with -32602 invalid-cursor",
    async run(store) {
      const error = (await rejectionOf(
        store.list("owner-a", { cursor: "bogus", limit: 2 }),
        "a bad cursor",
      )) as {
        code?: unknown;
        reason?: unknown;
      };
      same([error.code, error.reason], [-32602, "invalid-cursor"], "the error is InvalidParamsError");
    },
  },
  {
    name: "owners are isolated: lists and usage count only their own tasks",
    async run(store) {
      const a = await several(store, 2);
      const b = await several(store, 3);
      const ownerA = a[0]?.owner ?? "";
      const ownerB = b[0]?.owner ?? "";
      same(
        await allPages(store, ownerA, 10),
        a.map((task) => task.taskId),
        "owner A sees only its tasks",
      );
      same(
        (await store.list(`nobody-${randomUUID()}`, { limit: 10 })).tasks,
        [],
        "an unknown owner has none",
      );
      same(
        await store.usage(ownerB),
        { tasks: 3, unfinished: 3, resultBytes: 0 },
        "usage counts owner B only",
      );
      // An owner is opaque: similar strings are different owners.
      same((await store.list(`${ownerA} `, { limit: 10 })).tasks, [], "owners compare exactly");
    },
  },
  {
    name: "expires records whose expiresAt has passed, and deletes on request",
    async run(store) {
      const now = Date.now();
      const old = await created(store, fresh({ expiresAt: now - 1 }));
      const forever = await created(store, fresh({ ttl: null, expiresAt: null }));
      const young = await created(store, fresh({ expiresAt: now + 60_000 }));
      const expired = await store.expire(now);
      check(expired.includes(old.taskId), "an expired record is purged");
      check(!expired.includes(forever.taskId) && !expired.includes(young.taskId), "live records stay");
      check((await store.get(old.taskId)) === undefined, "a purged record reads undefined");
      same(await store.delete(young.taskId), true, "delete says the record existed");
      same(await store.delete(young.taskId), false, "a second delete says it did not");
      same((await store.get(forever.taskId))?.taskId, forever.taskId, "a record without expiry stays");
    },
  },
  {
    name: "keeps at most maxTasks per owner: the longest-finished go first, unfinished never",
    async run(store) {
      const quota = { maxTasks: 3, maxResultBytes: ROOMY.maxResultBytes };
      const [a, b, c] = await several(store, 3);
      const owner = a?.owner ?? "";
      check(
        (await store.create(fresh({ owner }), quota)) === undefined,
        "with every kept task unfinished, a new one is refused",
      );
      await store.complete(b?.taskId ?? "", done(), 5, quota);
      await store.complete(a?.taskId ?? "", done(), 5, quota);
      const d = await store.create(fresh({ owner }), quota);
      same(d?.evicted, [b?.taskId], "the task that finished longest ago makes room");
      check((await store.get(b?.taskId ?? "")) === undefined, "the evicted record is deleted");
      same(await store.usage(owner), { tasks: 3, unfinished: 2, resultBytes: 5 }, "usage follows");
      same((await store.get(c?.taskId ?? ""))?.status, "working", "unfinished tasks stay");
    },
  },
  {
    name: "concurrent creates cannot both take an owner's last place",
    async run(store) {
      const owner = `owner-${randomUUID()}`;
      const quota = { maxTasks: 2, maxResultBytes: ROOMY.maxResultBytes };
      await created(store, fresh({ owner }), quota);
      const writes = await Promise.all([1, 2, 3].map(() => store.create(fresh({ owner }), quota)));
      same(writes.filter((write) => write !== undefined).length, 1, "exactly one create gets the place");
      same((await store.usage(owner)).tasks, 2, "the owner keeps maxTasks");
    },
  },
  {
    name: "keeps at most maxResultBytes of results per owner, never evicting the task just finished",
    async run(store) {
      const quota = { maxTasks: 100, maxResultBytes: 1000 };
      const [a, b, c, open] = await several(store, 4);
      const owner = a?.owner ?? "";
      await store.complete(b?.taskId ?? "", done(), 400, quota);
      await store.complete(a?.taskId ?? "", done(), 400, quota);
      same((await store.usage(owner)).resultBytes, 800, "finished tasks are charged their bytes");
      const third = await store.complete(c?.taskId ?? "", done(), 400, quota);
      same(third?.evicted, [b?.taskId], "the longest-finished task goes to stay within budget");
      same(await store.usage(owner), { tasks: 3, unfinished: 1, resultBytes: 800 }, "usage follows");
      const open2 = await store.complete(open?.taskId ?? "", done(), 5000, quota);
      same(open2?.record.status, "completed", "a result over the whole budget still lands on its task");
      check((await store.get(open?.taskId ?? "")) !== undefined, "the task just finished is never evicted");
    },
  },
  {
    name: "stores large and deeply structured results exactly",
    async run(store) {
      const { taskId } = await created(store, fresh());
      const text = `${"x".repeat(1_000_000)} ünïcødé ✓ 𝄞 "quotes" \\ \n`;
      const result = {
        content: [{ type: "text" as const, text }],
        structuredContent: { nested: { list: [1, 2.5, null, true, "s"], deep: { deeper: { deepest: [] } } } },
      };
      const write = await store.complete(taskId, { ...done(), result }, text.length, ROOMY);
      same(write?.record.result, result, "complete returns the result");
      same((await store.get(taskId))?.result, result, "the stored result reads back exactly");
    },
  },
  {
    name: "finishedSince (stores shared by processes) lists tasks that became terminal after a cursor",
    async run(store) {
      if (store.finishedSince === undefined) return;
      const start = await store.finishedSince(undefined);
      same(start.taskIds, [], "from now: nothing yet");
      const [a, b] = await several(store, 2);
      await store.complete(b?.taskId ?? "", done(), 1, ROOMY);
      await store.complete(a?.taskId ?? "", done("cancelled"), 1, ROOMY);
      const next = await store.finishedSince(start.cursor);
      same(next.taskIds, [b?.taskId, a?.taskId], "tasks in the order they finished");
      same((await store.finishedSince(next.cursor)).taskIds, [], "the cursor moves past them");
    },
  },
];
