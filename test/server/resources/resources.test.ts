import { afterEach, describe, expect, it } from "vitest";
import type { LogEntry } from "../../../src/context/logger.js";
import { FastestMCP } from "../../../src/fastestmcp.js";
import {
  CancelledError,
  FastestMcpError,
  isProtocolError,
  ResourceNotFoundError,
} from "../../../src/index.js";
import { UriTemplate } from "../../../src/server/resources/uri-template/uri-template.js";
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

const PNG_BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

function demoServer() {
  return track(
    FastestMCP.server("resources", { version: "1.0.0" })
      .addResource("test://static-text", () => "hello", {
        name: "Static",
        description: "A text",
        mimeType: "text/plain",
        size: 5,
        annotations: { audience: ["user"], priority: 0.5 },
      })
      .addResource("test://binary", () => PNG_BYTES, { mimeType: "image/png" })
      .addResource("test://plain", async () => "no mime")
      .addResourceTemplate(
        "test://template/{id}/data",
        (uri, { id }) => JSON.stringify({ id, href: uri.href }),
        { name: "Template", mimeType: "application/json", complete: { id: ["123", "124"] } },
      ),
  );
}

describe("UriTemplate (RFC 6570 level 1)", () => {
  it("matches a URI and returns its variables, percent-decoded", () => {
    const template = new UriTemplate("test://template/{id}/data");
    expect(template.variables).toEqual(["id"]);
    expect(template.match("test://template/123/data")).toEqual({ id: "123" });
    expect(template.match("test://template/a%20b/data")).toEqual({ id: "a b" });
    expect(new UriTemplate("file:///{dir}/{name}.txt").match("file:///logs/today.txt")).toEqual({
      dir: "logs",
      name: "today",
    });
  });

  it("does not match other URIs, empty values, values spanning a slash or malformed escapes", () => {
    const template = new UriTemplate("test://template/{id}/data");
    expect(template.match("test://template/123/other")).toBeUndefined();
    expect(template.match("test://template//data")).toBeUndefined();
    expect(template.match("test://template/1/2/data")).toBeUndefined();
    expect(template.match("test://template/%E0%A4%A/data")).toBeUndefined();
    expect(template.match("xtest://template/1/data")).toBeUndefined();
  });

  it("treats regular-expression characters in the literal parts literally", () => {
    const template = new UriTemplate("app://a.b/(x)/{v}?");
    expect(template.match("app://a.b/(x)/1?")).toEqual({ v: "1" });
    expect(template.match("app://a.b/(x)/1")).toBeUndefined();
    expect(template.match("app://aXb/(x)/1")).toBeUndefined();
    expect(new UriTemplate("app://a.b/{v}").match("app://aXb/1")).toBeUndefined();
  });

  it("expands variables with percent-encoding", () => {
    expect(new UriTemplate("test://t/{id}").expand({ id: "a b/c" })).toBe("test://t/a%20b%2Fc");
  });

  it("rejects reserved operators, bad variables, unbalanced braces and missing variables", () => {
    // Levels 2-4 ({+path}, {?q}, {a,b}) and repeats are valid now: see uri-template.test.ts.
    for (const bad of [
      "test://{=path}",
      "test://{a b}",
      "test://{a:0}",
      "test://{a",
      "test://a}",
      "test://{}",
      "test://none",
      "",
    ]) {
      const error = (() => {
        try {
          new UriTemplate(bad);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(FastestMcpError);
      expect((error as FastestMcpError).code).toBe("FMCP_ERR_RESOURCE_URI_INVALID");
    }
  });

  it("keeps a variable named __proto__ as a plain value", () => {
    const values = new UriTemplate("test://{__proto__}").match("test://x");
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.hasOwn(values as object, "__proto__")).toBe(true);
  });
});

describe("Resources in-process", () => {
  it("lists resources and templates with only the fields that were set", () => {
    const server = demoServer();
    expect(server.listResources()).toEqual([
      {
        uri: "test://static-text",
        name: "Static",
        description: "A text",
        mimeType: "text/plain",
        size: 5,
        annotations: { audience: ["user"], priority: 0.5 },
      },
      { uri: "test://binary", name: "test://binary", mimeType: "image/png" },
      { uri: "test://plain", name: "test://plain" },
    ]);
    expect(server.listResourceTemplates()).toEqual([
      { uriTemplate: "test://template/{id}/data", name: "Template", mimeType: "application/json" },
    ]);
  });

  it("returns the same cached list until a resource is added or removed", () => {
    const server = demoServer();
    const first = server.listResources();
    expect(server.listResources()).toBe(first);
    server.addResource("test://more", () => "x");
    const second = server.listResources();
    expect(second).not.toBe(first);
    expect(server.removeResource("test://more")).toBe(true);
    expect(server.removeResource("test://more")).toBe(false);
    expect(server.listResources()).toHaveLength(3);
    expect(server.removeResourceTemplate("test://template/{id}/data")).toBe(true);
    expect(server.listResourceTemplates()).toEqual([]);
  });

  it("reads text with the resource's MIME type, and bytes as base64 blob", async () => {
    const server = demoServer();
    expect(await server.readResource("test://static-text")).toEqual({
      contents: [{ uri: "test://static-text", mimeType: "text/plain", text: "hello" }],
    });
    expect(await server.readResource("test://binary")).toEqual({
      contents: [{ uri: "test://binary", mimeType: "image/png", blob: "iVBORw==" }],
    });
    expect(await server.readResource("test://plain")).toEqual({
      contents: [{ uri: "test://plain", text: "no mime" }],
    });
  });

  it("fills in uri and mimeType of returned contents items, and passes a whole result through", async () => {
    const server = track(
      FastestMCP.server("items")
        .addResource(
          "test://items",
          () => [
            { text: "a" },
            { uri: "test://items/b", mimeType: "image/png", blob: new Uint8Array([1, 2]).buffer },
          ],
          { mimeType: "text/markdown" },
        )
        .addResource("test://one", () => ({ blob: "AAEC", _meta: { k: 1 } }))
        .addResource("test://whole", () => ({
          contents: [{ uri: "test://whole", text: "w" }],
          _meta: { m: true },
        })),
    );
    expect(await server.readResource("test://items")).toEqual({
      contents: [
        { uri: "test://items", mimeType: "text/markdown", text: "a" },
        { uri: "test://items/b", mimeType: "image/png", blob: "AQI=" },
      ],
    });
    expect(await server.readResource("test://one")).toEqual({
      contents: [{ uri: "test://one", blob: "AAEC", _meta: { k: 1 } }],
    });
    expect(await server.readResource("test://whole")).toEqual({
      contents: [{ uri: "test://whole", text: "w" }],
      _meta: { m: true },
    });
  });

  it("reads through a template: the handler gets the URL and the variables", async () => {
    const server = demoServer();
    expect(await server.readResource("test://template/123/data")).toEqual({
      contents: [
        {
          uri: "test://template/123/data",
          mimeType: "application/json",
          text: JSON.stringify({ id: "123", href: "test://template/123/data" }),
        },
      ],
    });
  });

  it("prefers a fixed resource over a template that also matches", async () => {
    const server = demoServer().addResource("test://template/special/data", () => "fixed");
    const { contents } = await server.readResource("test://template/special/data");
    expect(contents[0]).toMatchObject({ text: "fixed" });
  });

  it("rejects an unknown URI and a template mismatch with ResourceNotFoundError (-32002) naming the URI", async () => {
    const server = demoServer();
    for (const uri of ["test://nope", "test://template/123/other", "not a uri"]) {
      const error = await rejection(server.readResource(uri));
      expect(error).toBeInstanceOf(ResourceNotFoundError);
      expect(isProtocolError(error) && error.toJSON()).toMatchObject({
        code: -32002,
        data: { reason: "resource-not-found", uri },
      });
    }
  });

  it("rejects a URI that a template matches but that is no valid URL with -32602 invalid-resource-uri", async () => {
    const server = track(FastestMCP.server("loose").addResourceTemplate("{name}", () => "x"));
    const error = await rejection(server.readResource("no-scheme"));
    expect(isProtocolError(error) && error.toJSON()).toMatchObject({
      code: -32602,
      data: { reason: "invalid-resource-uri", uri: "no-scheme" },
    });
  });

  it("rejects a handler value that is not content with InternalError resource-content-invalid", async () => {
    const server = track(
      FastestMCP.server("bad")
        .addResource("test://number", () => 42 as unknown as string)
        .addResource("test://null", () => null as unknown as string)
        .addResource("test://item", () => [{ uri: "test://item" }] as never),
    );
    for (const uri of ["test://number", "test://null", "test://item"]) {
      const error = await rejection(server.readResource(uri));
      expect(isProtocolError(error) && error.toJSON()).toMatchObject({
        code: -32603,
        data: { reason: "resource-content-invalid", uri },
      });
    }
  });

  it("gives the handler a Context whose log reaches onLog", async () => {
    const server = track(
      FastestMCP.server("ctx").addResource("test://ctx", (uri, ctx) => {
        ctx.log.info("reading", { uri: uri.href });
        return String(ctx.requestId);
      }),
    );
    const entries: LogEntry[] = [];
    const { contents } = await server.readResource("test://ctx", { onLog: (entry) => entries.push(entry) });
    expect(contents[0]).toMatchObject({ text: expect.stringMatching(/^local-/) });
    expect(entries).toMatchObject([{ level: "info", message: "reading", data: { uri: "test://ctx" } }]);
  });

  it("rejects with CancelledError when the signal aborts", async () => {
    const server = track(
      FastestMCP.server("slow").addResource(
        "test://slow",
        (_uri, ctx) =>
          new Promise<string>((resolve) => ctx.signal.addEventListener("abort", () => resolve("late"))),
      ),
    );
    const controller = new AbortController();
    const pending = server.readResource("test://slow", { signal: controller.signal });
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(CancelledError);
    expect(await rejection(server.readResource("test://slow", { signal: controller.signal }))).toBeInstanceOf(
      CancelledError,
    );
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
    expect(codeOf(() => server.addResource("no scheme", () => ""))).toBe("FMCP_ERR_RESOURCE_URI_INVALID");
    expect(codeOf(() => server.addResource("test://static-text", () => ""))).toBe(
      "FMCP_ERR_RESOURCE_DUPLICATE",
    );
    expect(codeOf(() => server.addResource("test://x", "nope" as never))).toBe("FMCP_ERR_HANDLER_INVALID");
    expect(codeOf(() => server.addResource("test://x", () => "", { size: -1 }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(codeOf(() => server.addResourceTemplate("test://{!x}", () => ""))).toBe(
      "FMCP_ERR_RESOURCE_URI_INVALID",
    );
    expect(codeOf(() => server.addResourceTemplate("test://template/{id}/data", () => ""))).toBe(
      "FMCP_ERR_RESOURCE_DUPLICATE",
    );
    // @ts-expect-error: "b" is no variable of the template (also a compile-time error now)
    expect(codeOf(() => server.addResourceTemplate("test://{a}", () => "", { complete: { b: [] } }))).toBe(
      "FMCP_ERR_OPTION_INVALID",
    );
    expect(
      codeOf(() => server.addResourceTemplate("test://{a}", () => "", { complete: { a: 3 as never } })),
    ).toBe("FMCP_ERR_OPTION_INVALID");
    expect(server.listResources()).toHaveLength(3);
  });
});

describe("Resources on the wire", () => {
  it("declares resources (subscribe, listChanged) and completions once a resource or template exists", async () => {
    const { init } = openSession(demoServer());
    expect((await init()).result?.capabilities).toMatchObject({
      resources: { subscribe: true, listChanged: true },
      completions: {},
    });
    const bare = openSession(track(FastestMCP.server("bare").addTool("t", () => "")));
    const capabilities = (await bare.init()).result?.capabilities as Record<string, unknown>;
    expect(capabilities.resources).toBeUndefined();
    expect(capabilities.completions).toBeUndefined();
  });

  it("lists resources and templates, and reads them", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    expect((await request("resources/list")).result?.resources).toHaveLength(3);
    // One page: no nextCursor, so any cursor is refused (MCP pagination).
    expect((await request("resources/list", { cursor: "anything" })).error).toMatchObject({
      code: -32602,
      data: { reason: "invalid-cursor" },
    });
    expect((await request("resources/templates/list")).result).toEqual({
      resourceTemplates: [
        { uriTemplate: "test://template/{id}/data", name: "Template", mimeType: "application/json" },
      ],
    });
    expect((await request("resources/read", { uri: "test://binary" })).result).toEqual({
      contents: [{ uri: "test://binary", mimeType: "image/png", blob: "iVBORw==" }],
    });
    expect(
      (await request("resources/read", { uri: "test://template/7/data" })).result?.contents,
    ).toMatchObject([{ uri: "test://template/7/data", text: expect.stringContaining('"id":"7"') }]);
  });

  it("answers an unknown URI with -32002 Resource not found and the URI in data, a missing uri with -32602", async () => {
    const { init, request } = openSession(demoServer());
    await init();
    expect((await request("resources/read", { uri: "test://missing" })).error).toMatchObject({
      code: -32002,
      message: expect.stringContaining("Resource not found"),
      data: { reason: "resource-not-found", uri: "test://missing" },
    });
    expect((await request("resources/read", {})).error).toMatchObject({
      code: -32602,
      data: { reason: "invalid-params", parameter: "uri" },
    });
    expect((await request("resources/read", { uri: 5 })).error?.code).toBe(-32602);
  });

  it("passes a ProtocolError from the handler through and hides other errors as -32603", async () => {
    const server = track(
      FastestMCP.server("throws")
        .addResourceTemplate("test://users/{id}", (_uri, { id }) => {
          throw new ResourceNotFoundError(`test://users/${id}`);
        })
        .addResource("test://broken", () => {
          throw new Error("secret detail");
        }),
    );
    const { init, request } = openSession(server);
    await init();
    expect((await request("resources/read", { uri: "test://users/9" })).error).toMatchObject({
      code: -32002,
      data: { uri: "test://users/9" },
    });
    const hidden = (await request("resources/read", { uri: "test://broken" })).error;
    expect(hidden).toEqual({ code: -32603, message: "Internal error", data: { reason: "internal-error" } });
  });

  it("sends the handler's logs as notifications/message on the request", async () => {
    const server = track(
      FastestMCP.server("logs").addResource("test://logged", (_uri, ctx) => {
        ctx.log.warning("careful");
        return "ok";
      }),
    );
    const { init, request, notifications } = openSession(server);
    await init();
    await request("resources/read", { uri: "test://logged" }, "read-1");
    expect(notifications("notifications/message")).toMatchObject([
      { related: "read-1", message: { params: { level: "warning", data: "careful" } } },
    ]);
  });

  it("rejects resources/* before initialize", async () => {
    const { request } = openSession(demoServer());
    expect((await request("resources/list")).error).toMatchObject({ code: -32600 });
  });
});

describe("Resource subscriptions", () => {
  it("sends notifications/resources/updated only to subscribed sessions, until they unsubscribe", async () => {
    const server = demoServer();
    const a = openSession(server);
    const b = openSession(server);
    await a.init();
    await b.init();
    expect((await a.request("resources/subscribe", { uri: "test://static-text" })).result).toEqual({});
    expect(a.session.resourceSubscriptions.has("test://static-text")).toBe(true);

    expect(server.notifyResourceUpdated("test://static-text")).toBe(1);
    expect(server.notifyResourceUpdated("test://binary")).toBe(0);
    expect(a.notifications("notifications/resources/updated").map((s) => s.message.params)).toEqual([
      { uri: "test://static-text" },
    ]);
    expect(a.notifications("notifications/resources/updated")[0]?.related).toBeUndefined();
    expect(b.notifications("notifications/resources/updated")).toEqual([]);

    expect((await a.request("resources/unsubscribe", { uri: "test://static-text" })).result).toEqual({});
    expect(server.notifyResourceUpdated("test://static-text")).toBe(0);
    expect(a.notifications("notifications/resources/updated")).toHaveLength(1);
    // Unsubscribing again is harmless.
    expect((await a.request("resources/unsubscribe", { uri: "test://static-text" })).result).toEqual({});
  });

  it("accepts a URI that a template matches and refuses one nothing serves", async () => {
    const server = demoServer();
    const { init, request } = openSession(server);
    await init();
    expect((await request("resources/subscribe", { uri: "test://template/5/data" })).result).toEqual({});
    expect(server.notifyResourceUpdated("test://template/5/data")).toBe(1);
    expect((await request("resources/subscribe", { uri: "test://nowhere" })).error).toMatchObject({
      code: -32002,
      data: { reason: "resource-not-found", uri: "test://nowhere" },
    });
    expect((await request("resources/subscribe", {})).error?.code).toBe(-32602);
  });

  it("forgets a session's subscriptions when it ends", async () => {
    const server = demoServer();
    const { init, request, session } = openSession(server);
    await init();
    await request("resources/subscribe", { uri: "test://plain" });
    await server.sessions.end(session.id);
    expect(server.notifyResourceUpdated("test://plain")).toBe(0);
  });
});

describe("Resource list changes", () => {
  it("sends one notifications/resources/list_changed per initialized session for a batch of changes", async () => {
    const server = demoServer();
    const ready = openSession(server);
    await ready.init();
    const fresh = openSession(server); // never initialized
    server.addResource("test://new-1", () => "1").addResource("test://new-2", () => "2");
    server.addResourceTemplate("test://new/{x}", () => "x");
    await tick();
    expect(ready.notifications("notifications/resources/list_changed")).toHaveLength(1);
    expect(fresh.sent).toEqual([]);

    server.removeResource("test://new-1");
    await tick();
    expect(ready.notifications("notifications/resources/list_changed")).toHaveLength(2);
    server.removeResource("test://not-there");
    server.removeResourceTemplate("test://not/{there}");
    await tick();
    expect(ready.notifications("notifications/resources/list_changed")).toHaveLength(2);
    expect(ready.notifications("notifications/prompts/list_changed")).toEqual([]);
  });
});
