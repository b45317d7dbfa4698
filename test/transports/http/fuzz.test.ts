import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { seededRandom } from "../../seeded-random.js";
import { HttpHarness } from "./http-harness.js";
import { SseReader } from "./sse-reader.js";

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

const METHODS = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "tasks/get",
  "tasks/result",
  "tasks/list",
  "tasks/cancel",
  "logging/setLevel",
  "notifications/cancelled",
  "notifications/initialized",
  "constructor",
  "__proto__",
  "",
  "x".repeat(300),
];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 2 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -1, 1e308, -0, 3.5, Number.MAX_SAFE_INTEGER + 2][Math.floor(random() * 6)];
    case 3:
      return ["", "tok", "💥", "\u0000", "a".repeat(1000), "__proto__"][Math.floor(random() * 6)];
    case 4:
      return "echo";
    case 5:
      return { name: "echo", arguments: { text: "fuzz" } };
    case 6:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (const key of [
        "name",
        "arguments",
        "_meta",
        "task",
        "taskId",
        "cursor",
        "level",
        "requestId",
        "__proto__",
      ]) {
        if (random() < 0.4) object[key] = randomValue(random, depth + 1);
      }
      return object;
    }
  }
}

function randomBody(random: () => number): string {
  const kind = random();
  if (kind < 0.1)
    return Array.from({ length: Math.floor(random() * 40) }, () =>
      String.fromCharCode(Math.floor(random() * 256)),
    ).join("");
  if (kind < 0.15) return "[]";
  if (kind < 0.2) return JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ping" }]);
  const message: Record<string, unknown> = {};
  if (random() < 0.9) message.jsonrpc = random() < 0.9 ? "2.0" : randomValue(random);
  if (random() < 0.8) message.id = random() < 0.7 ? Math.floor(random() * 1e6) : randomValue(random);
  if (random() < 0.9)
    message.method = random() < 0.8 ? METHODS[Math.floor(random() * METHODS.length)] : randomValue(random);
  if (random() < 0.7) message.params = randomValue(random);
  if (random() < 0.05) message.result = {};
  const text = JSON.stringify(message);
  return random() < 0.05 ? text.slice(0, Math.floor(random() * text.length)) : text;
}

describe("Streamable HTTP under random input", () => {
  it("answers 2,000 malformed or random messages without a 5xx and keeps serving every session", async () => {
    const server = FastestMCP.server("fuzz", { progressIntervalMs: 0 })
      .addTool("echo", ({ text }) => String(text))
      .addTool("steps", (_args, ctx) => ctx.progress().setTotal(2).increment().increment().current, {
        task: true,
      });
    const h = await HttpHarness.start(server);
    harnesses.push(h);
    await h.initialize();
    const bystander = await HttpHarness.start(server);
    // A second, well-behaved session on another listener of the same server.
    harnesses.push(bystander);
    await bystander.initialize();

    const random = seededRandom(20261125);
    const statuses = new Map<number, number>();
    const bodies = Array.from({ length: 2000 }, () => randomBody(random));
    for (let start = 0; start < bodies.length; start += 25) {
      await Promise.all(
        bodies.slice(start, start + 25).map(async (body) => {
          const response = await h.post(body, {
            accept: random() < 0.5 ? "application/json" : "application/json, text/event-stream",
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status, `status for ${body.slice(0, 200)}`).toBeLessThan(500);
          const type = response.headers.get("content-type") ?? "";
          if (type.includes("text/event-stream")) {
            const sse = new SseReader(response);
            await sse.all(5000);
            for (const message of sse.messages()) expect(message.jsonrpc).toBe("2.0");
          } else if (response.status !== 202 && response.status !== 204) {
            const text = await response.text();
            if (text !== "") expect(JSON.parse(text)).toMatchObject({ jsonrpc: "2.0" });
          } else {
            await response.text();
          }
        }),
      );
    }
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);

    for (const client of [h, bystander]) {
      const ping = await client.post(client.request("ping"), { accept: "application/json" });
      expect(await ping.json()).toMatchObject({ result: {} });
      const call = await client.post(
        client.request("tools/call", { name: "echo", arguments: { text: "still here" } }),
        {
          accept: "application/json",
        },
      );
      expect(await call.json()).toMatchObject({
        result: { content: [{ type: "text", text: "still here" }] },
      });
    }
  }, 60_000);
});
