import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { LogEntry } from "../../../src/context/logger.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import {
  CancelledError,
  embeddedResource,
  type FastestMcpError,
  imageContent,
  isProtocolError,
  PromptNotFoundError,
} from "../../../src/index.js";
import { rejection } from "../../rejection.js";
import { openSession, tick } from "../session/session-harness.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function track(server: FastestMCP): FastestMCP {
  servers.push(server);
  return server;
}

const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

function demoServer() {
  return track(
    FastestMCP.server("prompts", { version: "1.0.0" })
      .addPrompt("simple", () => "Say hello.", { description: "A simple prompt", title: "Simple" })
      .addPrompt("greet", ({ name, tone }) => `Greet ${name}${tone ? ` in a ${tone} tone` : ""}.`, {
        description: "Greets someone",
        arguments: [
          { name: "name", description: "Who", required: true },
          { name: "tone", description: "How" },
        ],
      })
      .addPrompt(
        "rich",
        () => ({
          description: "Rich content",
          messages: [
            { role: "user", content: imageContent(PNG_1PX, "image/png") },
            { role: "assistant", content: { type: "audio", data: "UklGRg==", mimeType: "audio/wav" } },
            { role: "user", content: embeddedResource("test://doc", "Doc text", "text/plain") },
            { role: "user", content: "Plain string content" },
            "A bare string",
          ],
        }),
        { description: "Every kind of content" },
      ),
  );
}

describe("Prompts in-process", () => {
  it("lists prompts with their arguments and only the fields that were set", () => {
    expect(demoServer().listPrompts()).toEqual([
      { name: "simple", title: "Simple", description: "A simple prompt" },
      {
        name: "greet",
        description: "Greets someone",
        arguments: [
          { name: "name", description: "Who", required: true },
          { name: "tone", description: "How" },
        ],
      },
      { name: "rich", description: "Every kind of content" },
    ]);
  });

  it("renders a string as one user text message, with the prompt's description", async () => {
    expect(await demoServer().getPrompt("simple")).toEqual({
      description: "A simple prompt",
      messages: [{ role: "user", content: { type: "text", text: "Say hello." } }],
    });
  });

  it("passes the arguments to the handler, optional ones only when given", async () => {
    const server = demoServer();
    expect((await server.getPrompt("greet", { name: "Ada" })).messages[0]?.content).toEqual({
      type: "text",
      text: "Greet Ada.",
    });
    expect(
      (await server.getPrompt("greet", { name: "Ada", tone: "warm" })).messages[0]?.content,
    ).toMatchObject({
      text: "Greet Ada in a warm tone.",
    });
  });

  it("keeps image, audio and embedded-resource content, and turns strings into text", async () => {
    const result = await demoServer().getPrompt("rich");
    expect(result).toEqual({
      description: "Rich content",
      messages: [
        { role: "user", content: { type: "image", data: PNG_1PX, mimeType: "image/png" } },
        { role: "assistant", content: { type: "audio", data: "UklGRg==", mimeType: "audio/wav" } },
        {
          role: "user",
          content: {
            type: "resource",
            resource: { uri: "test://doc", mimeType: "text/plain", text: "Doc text" },
          },
        },
        { role: "user", content: { type: "text", text: "Plain string content" } },
        { role: "user", content: { type: "text", text: "A bare string" } },
      ],
    });
  });

  it("rejects an unknown prompt with PromptNotFoundError (-32602, prompt-not-found)", async () => {
    const error = await rejection(demoServer().getPrompt("nope"));
    expect(error).toBeInstanceOf(PromptNotFoundError);
    expect(isProtocolError(error) && error.toJSON()).toMatchObject({
      code: -32602,
      data: { reason: "prompt-not-found", prompt: "nope" },
    });
  });

  it("rejects a missing required argument with -32602 naming it", async () => {
    const error = await rejection(demoServer().getPrompt("greet", { tone: "dry" }));
    expect(isProtocolError(error) && error.toJSON()).toMatchObject({
      code: -32602,
      message: expect.stringContaining('"name"'),
      data: { reason: "prompt-argument-missing", prompt: "greet", arguments: ["name"] },
    });
  });

  it("rejects argument values that are not strings", async () => {
    const error = await rejection(demoServer().getPrompt("greet", { name: 3 } as never));
    expect(isProtocolError(error) && error.toJSON()).toMatchObject({
      code: -32602,
      data: { reason: "invalid-prompt-arguments", arguments: ["name"] },
    });
  });

  it("lists and validates a zod object as the prompt's arguments, passing the parsed values", async () => {
    const server = track(
      FastestMCP.server("zod").addPrompt(
        "review",
        ({ code, language }) => `Review this ${language}: ${code}`,
        {
          description: "Code review",
          arguments: z.object({
            code: z.string().describe("The code"),
            language: z.enum(["ts", "py"]).default("ts").describe("Its language"),
          }),
        },
      ),
    );
    expect(server.listPrompts()[0]?.arguments).toEqual([
      { name: "code", description: "The code", required: true },
      { name: "language", description: "Its language" },
    ]);
    expect((await server.getPrompt("review", { code: "x()" })).messages[0]?.content).toMatchObject({
      text: "Review this ts: x()",
    });
    const invalid = await rejection(server.getPrompt("review", { code: "x", language: "rust" }));
    expect(isProtocolError(invalid) && invalid.toJSON()).toMatchObject({
      code: -32602,
      data: { reason: "invalid-prompt-arguments", issues: [{ path: ["language"] }] },
    });
    const missing = await rejection(server.getPrompt("review", {}));
    expect(isProtocolError(missing) && missing.reason).toBe("prompt-argument-missing");
  });

  it("rejects a handler value that is not messages with InternalError prompt-result-invalid", async () => {
    const server = track(
      FastestMCP.server("bad")
        .addPrompt("number", () => 1 as never)
        .addPrompt("role", () => [{ role: "system", content: "x" }] as never)
        .addPrompt("content", () => [{ role: "user", content: { type: "video" } }] as never),
    );
    for (const name of ["number", "role", "content"]) {
      const error = await rejection(server.getPrompt(name));
      expect(isProtocolError(error) && error.toJSON(), name).toMatchObject({
        code: -32603,
        data: { reason: "prompt-result-invalid", prompt: name },
      });
    }
  });

  it("gives the handler a Context, and rejects with CancelledError when the signal aborts", async () => {
    const entries: LogEntry[] = [];
    const server = track(
      FastestMCP.server("ctx")
        .addPrompt("logs", (_args, ctx) => {
          ctx.log.debug("rendering");
          return "ok";
        })
        .addPrompt(
          "slow",
          (_args, ctx) => new Promise<string>((r) => ctx.signal.addEventListener("abort", () => r("late"))),
        ),
    );
    await server.getPrompt("logs", {}, { onLog: (entry) => entries.push(entry) });
    expect(entries).toMatchObject([{ level: "debug", message: "rendering" }]);
    const controller = new AbortController();
    const pending = server.getPrompt("slow", {}, { signal: controller.signal });
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(CancelledError);
  });

  it("refuses invalid registrations with stable codes", () => {
    const server = demoServer();
    const codeOf = (register: () => unknown) => {
      try {
        register();
      } catch (error) {
        return (error as FastestMcpError).code;
      }
      return undefined;
    };
    expect(codeOf(() => server.addPrompt("", () => ""))).toBe("FMCP_ERR_PROMPT_NAME_INVALID");
    expect(codeOf(() => server.addPrompt("simple", () => ""))).toBe("FMCP_ERR_PROMPT_DUPLICATE");
    expect(codeOf(() => server.addPrompt("x", null as never))).toBe("FMCP_ERR_HANDLER_INVALID");
    expect(codeOf(() => server.addPrompt("x", () => "", { arguments: [{ name: "" }] }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(codeOf(() => server.addPrompt("x", () => "", { arguments: [{ name: "a" }, { name: "a" }] }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(codeOf(() => server.addPrompt("x", () => "", { arguments: { a: 1 } as never }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(codeOf(() => server.addPrompt("x", () => "", { arguments: z.string() as never }))).toBe(
      "FMCP_ERR_SCHEMA_INVALID",
    );
    expect(codeOf(() => server.addPrompt("x", () => "", { complete: { nope: ["a"] } }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(server.listPrompts()).toHaveLength(3);
    expect(server.removePrompt("simple")).toBe(true);
    expect(server.removePrompt("simple")).toBe(false);
  });
});

describe("Prompts on the wire", () => {
  it("declares prompts (listChanged) and completions once a prompt exists", async () => {
    const { init } = openSession(demoServer());
    const capabilities = (await init()).result?.capabilities as Record<string, unknown>;
    expect(capabilities.prompts).toEqual({ listChanged: true });
    expect(capabilities.completions).toEqual({});
    expect(capabilities.resources).toBeUndefined();
  });

  it("lists and gets prompts", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    expect((await request("prompts/list")).result?.prompts).toHaveLength(3);
    expect((await request("prompts/get", { name: "greet", arguments: { name: "Bo" } })).result).toEqual({
      description: "Greets someone",
      messages: [{ role: "user", content: { type: "text", text: "Greet Bo." } }],
    });
    expect((await request("prompts/get", { name: "simple" })).result?.messages).toHaveLength(1);
  });

  it("answers an unknown prompt, a missing argument and bad params with -32602", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    expect((await request("prompts/get", { name: "missing" })).error).toMatchObject({
      code: -32602,
      data: { reason: "prompt-not-found", prompt: "missing" },
    });
    expect((await request("prompts/get", { name: "greet", arguments: {} })).error).toMatchObject({
      code: -32602,
      data: { reason: "prompt-argument-missing", arguments: ["name"] },
    });
    expect((await request("prompts/get", { name: "greet", arguments: ["Bo"] })).error).toMatchObject({
      code: -32602,
      data: { reason: "invalid-params", parameter: "arguments" },
    });
    expect((await request("prompts/get", {})).error).toMatchObject({
      code: -32602,
      data: { parameter: "name" },
    });
  });

  it("sends notifications/prompts/list_changed to initialized sessions when prompts change", async () => {
    const server = demoServer();
    const { init, notifications } = openSession(server);
    await init();
    server.addPrompt("later", () => "x").addPrompt("later-2", () => "y");
    await tick();
    expect(notifications("notifications/prompts/list_changed")).toHaveLength(1);
    server.removePrompt("later");
    await tick();
    expect(notifications("notifications/prompts/list_changed")).toHaveLength(2);
    expect(notifications("notifications/resources/list_changed")).toEqual([]);
  });
});
