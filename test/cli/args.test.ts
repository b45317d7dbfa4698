import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/cli/args.js";
import { toolArguments } from "../../src/cli/coerce.js";
import { UsageError } from "../../src/cli/exit-codes.js";

describe("parseCommand", () => {
  it("takes the target from a URL, or from the command after --", () => {
    expect(
      parseCommand(["call", "https://x.test/mcp", "track", "a=1", "-H", "Authorization: Bearer t"]),
    ).toMatchObject({
      name: "call",
      target: { kind: "http", url: "https://x.test/mcp", headers: { authorization: "Bearer t" } },
      tool: "track",
      assignments: ["a=1"],
    });
    expect(
      parseCommand(["call", "track", "a=1", "--task", "--", "node", "server.js", "--flag"]),
    ).toMatchObject({
      target: { kind: "stdio", command: "node", args: ["server.js", "--flag"] },
      tool: "track",
      task: true,
    });
  });

  it("takes the tool and its arguments from the end of the command when none comes before --", () => {
    expect(parseCommand(["call", "--", "node", "server.js", "track"])).toMatchObject({
      target: { kind: "stdio", command: "node", args: ["server.js"] },
      tool: "track",
      assignments: [],
    });
    expect(parseCommand(["call", "--", "node", "s.js", "--port=3", "track", "a=1", "b.c=2"])).toMatchObject({
      target: { kind: "stdio", command: "node", args: ["s.js", "--port=3"] },
      tool: "track",
      assignments: ["a=1", "b.c=2"],
    });
    // The command keeps its executable: a lone word is the command, not a tool.
    expect(() => parseCommand(["call", "--", "node"])).toThrow(UsageError);
  });

  it("takes --protocol-version for the commands that connect, and only a revision the client speaks", () => {
    expect(parseCommand(["inspect", "https://x.test/mcp", "--protocol-version", "auto"])).toMatchObject({
      target: { kind: "http", protocolVersion: "auto" },
    });
    expect(
      parseCommand(["call", "t", "--protocol-version", "2026-07-28", "--", "node", "s.js"]),
    ).toMatchObject({
      target: { kind: "stdio", protocolVersion: "2026-07-28" },
    });
    expect(() =>
      parseCommand(["call", "https://x.test/mcp", "t", "--protocol-version", "2024-11-05"]),
    ).toThrow(UsageError);
    expect(() => parseCommand(["run", "s.ts", "--protocol-version", "auto"])).toThrow(UsageError);
  });

  it("parses tasks actions, inspect and run", () => {
    expect(parseCommand(["tasks", "http://h/mcp"])).toMatchObject({ action: "list", taskId: undefined });
    expect(parseCommand(["tasks", "http://h/mcp", "watch", "t1"])).toMatchObject({
      action: "watch",
      taskId: "t1",
    });
    expect(parseCommand(["inspect", "--", "node", "s.js"])).toMatchObject({ name: "inspect" });
    expect(parseCommand(["run", "s.ts", "--port", "4100", "--dashboard"])).toEqual({
      name: "run",
      file: "s.ts",
      transport: "http",
      port: 4100,
      host: undefined,
      dashboard: true,
    });
    expect(parseCommand(["run", "s.ts", "--stdio"])).toMatchObject({ transport: "stdio", dashboard: false });
  });

  it("help and version", () => {
    expect(parseCommand([])).toEqual({ name: "help", topic: undefined });
    expect(parseCommand(["call", "--help"])).toEqual({ name: "help", topic: "call" });
    expect(parseCommand(["--version"])).toEqual({ name: "version" });
  });

  it.each([
    [["run", "s.ts", "--stdio", "--port", "1"]],
    [["run", "s.ts", "--http", "--stdio"]],
    [["inspect", "http://h/mcp", "--task"]],
    [["call", "http://h/mcp", "t", "--output", "yaml"]],
    [["call", "http://h/mcp", "t", "--timeout", "soon"]],
    [["call", "http://h/mcp", "t", "--", "node", "s.js"]],
    [["tasks", "http://h/mcp", "list", "extra"]],
    [["call", "t", "-H", "a: b", "--", "node"]],
  ])("refuses %j", (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });
});

describe("toolArguments", () => {
  const schema = {
    type: "object",
    properties: {
      n: { type: "integer" },
      x: { type: "number" },
      on: { type: "boolean" },
      list: { type: "array", items: { type: "number" } },
      opt: { type: ["string", "null"] },
      any: {},
    },
    required: ["n"],
    additionalProperties: false,
  };

  it("converts each value to its property's type", () => {
    expect(
      toolArguments(schema, undefined, ["n=2", "x=1.5", "on=false", "list=1,2", "opt=null", 'any={"k":1}']),
    ).toEqual({
      n: 2,
      x: 1.5,
      on: false,
      list: [1, 2],
      opt: null,
      any: { k: 1 },
    });
    expect(
      toolArguments(schema, undefined, ["n=1", "opt=text", "list=[3]", "any=plain words"]),
    ).toMatchObject({
      opt: "text",
      list: [3],
      any: "plain words",
    });
  });

  it.each([
    [["n=1.5"], /n=1.5: expected integer/],
    [["n=1", "on=maybe"], /expected boolean/],
    [["n=1", "zzz=1"], /no argument "zzz"/],
    [["x=1"], /Missing required argument\(s\): n/],
    [["n"], /not key=value/],
  ])("refuses %j", (words, message) => {
    expect(() => toolArguments(schema, undefined, words)).toThrow(message);
  });

  it("--json must be a JSON object", () => {
    expect(() => toolArguments(schema, "[1]", [])).toThrow(/JSON object/);
    expect(() => toolArguments(schema, "{", [])).toThrow(/not JSON/);
  });
});
