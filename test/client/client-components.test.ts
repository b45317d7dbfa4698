import { afterEach, describe, expect, it } from "vitest";
import { Client } from "../../src/client/index.js";
import { FastestMCP } from "../../src/fastestmcp.js";
import { rejection } from "../rejection.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connect(options = {}) {
  const server = FastestMCP.server("components", { version: "1.0.0" })
    .addResource("test://readme", () => "Read me first.", { name: "Readme", mimeType: "text/plain" })
    .addResourceTemplate("test://users/{id}", (_uri, { id }) => JSON.stringify({ id }), {
      name: "User",
      mimeType: "application/json",
      complete: { id: ["ada", "alan", "grace"] },
    })
    .addPrompt("greet", ({ name }) => `Greet ${name}.`, {
      description: "Greets someone",
      arguments: [{ name: "name", description: "Who", required: true }],
      complete: { name: ["Ada", "Alan"] },
    });
  const handle = await server.listen({ keepAliveMs: 0 });
  // These tests cover the 2025-11-25 session (subscriptions, list changes); 2026-07-28 has its own file.
  const client = await Client.connect(handle.url, { protocolVersion: "2025-11-25", ...options });
  cleanups.push(async () => {
    await client.close();
    await handle.close();
    await server.close();
  });
  return { server, client };
}

describe("Client resources, prompts and completion", () => {
  it("lists and reads resources and templates", async () => {
    const { client } = await connect();
    expect((await client.listResources()).resources).toMatchObject([
      { uri: "test://readme", name: "Readme" },
    ]);
    expect((await client.listResourceTemplates()).resourceTemplates).toMatchObject([
      { uriTemplate: "test://users/{id}" },
    ]);
    expect(await client.readResource("test://readme")).toEqual({
      contents: [{ uri: "test://readme", mimeType: "text/plain", text: "Read me first." }],
    });
    expect((await client.readResource("test://users/ada")).contents[0]).toMatchObject({
      text: '{"id":"ada"}',
    });
    expect(await rejection(client.readResource("test://nothing"))).toMatchObject({ code: -32002 });
  });

  it("hears about a subscribed resource's updates and about list changes", async () => {
    const updated: string[] = [];
    const changed: string[] = [];
    const { server, client } = await connect({
      resourceUpdatedHandler: (uri: string) => updated.push(uri),
      listChangedHandler: (list: string) => changed.push(list),
    });
    await client.subscribeResource("test://readme");
    server.notifyResourceUpdated("test://readme");
    server.addResource("test://new", () => "new");
    for (let i = 0; i < 200 && (updated.length === 0 || changed.length === 0); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(updated).toEqual(["test://readme"]);
    expect(changed).toEqual(["resources"]);
    await client.unsubscribeResource("test://readme");
    server.notifyResourceUpdated("test://readme");
    // A later message on the same (GET) stream: once it is here, an update sent before it is too.
    server.addResource("test://after", () => "after");
    for (let i = 0; i < 200 && changed.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(changed).toEqual(["resources", "resources"]);
    expect(updated).toEqual(["test://readme"]);
  });

  it("lists and fills in prompts, rejecting a missing argument", async () => {
    const { client } = await connect();
    expect((await client.listPrompts()).prompts).toMatchObject([
      { name: "greet", description: "Greets someone" },
    ]);
    expect(await client.getPrompt("greet", { name: "Ada" })).toMatchObject({
      messages: [{ role: "user", content: { type: "text", text: "Greet Ada." } }],
    });
    expect(await rejection(client.getPrompt("greet"))).toMatchObject({
      code: -32602,
      reason: "prompt-argument-missing",
    });
  });

  it("completes prompt arguments and template variables", async () => {
    const { client } = await connect();
    expect(
      (await client.complete({ type: "ref/prompt", name: "greet" }, { name: "name", value: "Al" }))
        .completion,
    ).toMatchObject({
      values: ["Alan"],
    });
    expect(
      (await client.complete({ type: "ref/resource", uri: "test://users/{id}" }, { name: "id", value: "g" }))
        .completion.values,
    ).toEqual(["grace"]);
  });
});

describe("Client list changes for tools", () => {
  it("hears notifications/tools/list_changed when a tool is added at runtime", async () => {
    const changed: string[] = [];
    const { server, client } = await connect({ listChangedHandler: (list: string) => changed.push(list) });
    server.addTool("late", () => "here now");
    for (let i = 0; i < 200 && changed.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(changed).toEqual(["tools"]);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("late");
  });
});
