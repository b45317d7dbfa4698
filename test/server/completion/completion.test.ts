import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { isProtocolError, MAX_COMPLETION_VALUES } from "../../../src/index.js";
import { rejection } from "../../rejection.js";
import { openSession } from "../session/session-harness.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const CITIES = ["Paris", "Porto", "Prague", "Berlin", "palermo"];
const MANY = Array.from({ length: 250 }, (_, i) => `item-${String(i).padStart(3, "0")}`);

function demoServer() {
  const server = FastestMCP.server("completion")
    .addPrompt("trip", ({ from, to }) => `From ${from} to ${to}`, {
      description: "Plan a trip",
      arguments: [{ name: "from", required: true }, { name: "to", required: true }, { name: "note" }],
      complete: {
        from: CITIES,
        // A function sees the already-resolved arguments.
        to: (value, { arguments: resolved }) =>
          CITIES.filter(
            (city) => city !== resolved.from && city.toLowerCase().startsWith(value.toLowerCase()),
          ),
      },
    })
    .addResourceTemplate("test://items/{item}", (_uri, { item }) => item ?? "", {
      complete: { item: async (value) => MANY.filter((name) => name.startsWith(value)) },
    })
    .addResourceTemplate("test://plain/{x}", () => "x");
  servers.push(server);
  return server;
}

describe("Completion in-process", () => {
  it("filters a fixed list by case-insensitive prefix", async () => {
    const server = demoServer();
    expect(await server.complete({ type: "ref/prompt", name: "trip" }, { name: "from", value: "p" })).toEqual(
      {
        completion: { values: ["Paris", "Porto", "Prague", "palermo"], total: 4, hasMore: false },
      },
    );
    expect(
      (await server.complete({ type: "ref/prompt", name: "trip" }, { name: "from", value: "" })).completion
        .values,
    ).toEqual(CITIES);
  });

  it("passes the resolved arguments to a completion function", async () => {
    const server = demoServer();
    const result = await server.complete(
      { type: "ref/prompt", name: "trip" },
      { name: "to", value: "p" },
      { arguments: { from: "Paris" } },
    );
    expect(result.completion.values).toEqual(["Porto", "Prague", "palermo"]);
  });

  it("caps the values at 100 and reports total and hasMore", async () => {
    const server = demoServer();
    const { completion } = await server.complete(
      { type: "ref/resource", uri: "test://items/{item}" },
      { name: "item", value: "item-" },
    );
    expect(MAX_COMPLETION_VALUES).toBe(100);
    expect(completion.values).toHaveLength(100);
    expect(completion.values[0]).toBe("item-000");
    expect(completion).toMatchObject({ total: 250, hasMore: true });
    const few = await server.complete(
      { type: "ref/resource", uri: "test://items/{item}" },
      { name: "item", value: "item-24" },
    );
    expect(few.completion).toEqual({
      values: [
        "item-240",
        "item-241",
        "item-242",
        "item-243",
        "item-244",
        "item-245",
        "item-246",
        "item-247",
        "item-248",
        "item-249",
      ],
      total: 10,
      hasMore: false,
    });
  });

  it("completes an argument without a provider to no values", async () => {
    const server = demoServer();
    expect(await server.complete({ type: "ref/prompt", name: "trip" }, { name: "note", value: "x" })).toEqual(
      {
        completion: { values: [], total: 0, hasMore: false },
      },
    );
    expect(
      (await server.complete({ type: "ref/resource", uri: "test://plain/{x}" }, { name: "x", value: "" }))
        .completion.values,
    ).toEqual([]);
  });

  it("rejects an unknown prompt, template or argument with -32602", async () => {
    const server = demoServer();
    const cases: Array<[Promise<unknown>, string]> = [
      [
        server.complete({ type: "ref/prompt", name: "nope" }, { name: "from", value: "" }),
        "completion-ref-not-found",
      ],
      [
        server.complete({ type: "ref/resource", uri: "test://items/1" }, { name: "item", value: "" }),
        "completion-ref-not-found",
      ],
      [
        server.complete({ type: "ref/prompt", name: "trip" }, { name: "nope", value: "" }),
        "completion-argument-not-found",
      ],
      [
        server.complete({ type: "ref/resource", uri: "test://items/{item}" }, { name: "other", value: "" }),
        "completion-argument-not-found",
      ],
      [server.complete({ type: "ref/tool", name: "x" } as never, { name: "a", value: "" }), "invalid-params"],
    ];
    for (const [pending, reason] of cases) {
      const error = await rejection(pending);
      expect(isProtocolError(error) && error.toJSON()).toMatchObject({ code: -32602, data: { reason } });
    }
  });

  it("rejects with InternalError when a completion function returns something other than strings", async () => {
    const server = FastestMCP.server("bad").addPrompt("p", () => "x", {
      arguments: [{ name: "a" }],
      complete: { a: () => [1, 2] as never },
    });
    servers.push(server);
    const error = await rejection(
      server.complete({ type: "ref/prompt", name: "p" }, { name: "a", value: "" }),
    );
    expect(isProtocolError(error) && error.toJSON()).toMatchObject({
      code: -32603,
      data: { reason: "completion-result-invalid" },
    });
  });
});

describe("Completion on the wire", () => {
  it("answers completion/complete for ref/prompt and ref/resource", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    expect(
      (
        await request("completion/complete", {
          ref: { type: "ref/prompt", name: "trip" },
          argument: { name: "from", value: "pr" },
        })
      ).result,
    ).toEqual({ completion: { values: ["Prague"], total: 1, hasMore: false } });
    expect(
      (
        await request("completion/complete", {
          ref: { type: "ref/prompt", name: "trip" },
          argument: { name: "to", value: "p" },
          context: { arguments: { from: "Prague" } },
        })
      ).result?.completion,
    ).toMatchObject({ values: ["Paris", "Porto", "palermo"] });
    expect(
      (
        await request("completion/complete", {
          ref: { type: "ref/resource", uri: "test://items/{item}" },
          argument: { name: "item", value: "item-1" },
        })
      ).result?.completion,
    ).toMatchObject({ total: 100, hasMore: false });
  });

  it("answers a bad ref, argument or context with -32602 naming the parameter", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    const errorOf = async (params: Record<string, unknown>) =>
      (await request("completion/complete", params)).error;
    expect(
      await errorOf({ ref: { type: "ref/prompt", name: "ghost" }, argument: { name: "a", value: "" } }),
    ).toMatchObject({
      code: -32602,
      data: { reason: "completion-ref-not-found", ref: { type: "ref/prompt", name: "ghost" } },
    });
    expect(await errorOf({ argument: { name: "a", value: "" } })).toMatchObject({
      code: -32602,
      data: { reason: "invalid-params", parameter: "ref" },
    });
    expect(
      await errorOf({ ref: { type: "ref/prompt", name: "trip" }, argument: { name: "from" } }),
    ).toMatchObject({
      data: { parameter: "argument" },
    });
    expect(
      await errorOf({
        ref: { type: "ref/prompt", name: "trip" },
        argument: { name: "from", value: "" },
        context: { arguments: { from: 1 } },
      }),
    ).toMatchObject({ data: { parameter: "context" } });
  });
});
