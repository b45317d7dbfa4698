import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisSessions } from "../../src/redis.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.stop());

const RECORD = {
  id: "s-1",
  owner: "s-1",
  version: "2025-11-25",
  tasks: true,
  clientInfo: { name: "c", version: "1" },
  clientCapabilities: {},
  initialized: false,
  logLevel: "debug" as const,
  resourceSubscriptions: [],
};

describe("RedisSessions' event log", () => {
  it("keeps the newest maxReplayEvents events of a session, and forgets a stream whose end mark went", async () => {
    const sessions = new RedisSessions({ url: redis.url, prefix: "log-1:", maxReplayEvents: 3 });
    try {
      await sessions.save(RECORD, 60_000);
      await sessions.append(RECORD.id, "a-1", 1, "", false); // a priming event
      await sessions.append(RECORD.id, "a-1", 2, '{"n":2}', false);
      await sessions.append(RECORD.id, "a-1", 2, '{"n":2}', true); // its end mark
      for (let n = 1; n <= 3; n++)
        expect(await sessions.append(RECORD.id, "0", undefined, `{"s":${n}}`, false)).toBe(n);
      expect(await sessions.read(RECORD.id, "a-1", 0)).toMatchObject({ known: false, events: [] });
      const standalone = await sessions.read(RECORD.id, "0", 1);
      expect(standalone.events.map((event) => event.message)).toEqual(['{"s":2}', '{"s":3}']);
      // A GET without Last-Event-ID starts after the delivered mark.
      sessions.markDelivered(RECORD.id, "0", 2);
      await expect.poll(async () => (await sessions.read(RECORD.id, "0", undefined)).after).toBe(2);
      expect(await sessions.remove(RECORD.id)).toBe(true);
      expect(await sessions.append(RECORD.id, "0", undefined, "{}", false)).toBe(-1);
      expect(await sessions.load(RECORD.id)).toBeUndefined();
    } finally {
      await sessions.close();
    }
  });

  it("bounds a session's log by bytes, keeping the newest event however large", async () => {
    const sessions = new RedisSessions({ url: redis.url, prefix: "log-2:", maxReplayBytes: 10 });
    try {
      await sessions.save(RECORD, 60_000);
      await sessions.append(RECORD.id, "0", undefined, '"12345"', false);
      await sessions.append(RECORD.id, "0", undefined, '"1234567890"', false);
      const { events } = await sessions.read(RECORD.id, "0", 0);
      expect(events.map((event) => event.seq)).toEqual([2]);
    } finally {
      await sessions.close();
    }
  });
});
