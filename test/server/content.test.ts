import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import {
  audioContent,
  embeddedResource,
  FastestMcpError,
  imageContent,
  resourceLink,
  textContent,
} from "../../src/index.js";

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const BYTES = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);

describe("content helpers", () => {
  it("builds a text block, with annotations and _meta when given", () => {
    expect(textContent("hi")).toEqual({ type: "text", text: "hi" });
    expect(textContent("hi", { annotations: { priority: 1 }, _meta: { a: 1 } })).toEqual({
      type: "text",
      text: "hi",
      annotations: { priority: 1 },
      _meta: { a: 1 },
    });
  });

  it("base64-encodes image and audio bytes, and keeps base64 strings as they are", () => {
    const base64 = Buffer.from(BYTES).toString("base64");
    expect(imageContent(BYTES, "image/png")).toEqual({ type: "image", data: base64, mimeType: "image/png" });
    expect(imageContent(BYTES.buffer, "image/png").data).toBe(base64);
    expect(imageContent(Buffer.from(BYTES), "image/png").data).toBe(base64);
    expect(audioContent("UklGRg==", "audio/wav")).toEqual({
      type: "audio",
      data: "UklGRg==",
      mimeType: "audio/wav",
    });
  });

  it("encodes large binaries correctly", () => {
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 31) % 256);
    expect(imageContent(big, "image/png").data).toBe(Buffer.from(big).toString("base64"));
  });

  it("refuses data that is neither bytes nor base64, and a missing MIME type", () => {
    const codeOf = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return (error as FastestMcpError).code;
      }
      return undefined;
    };
    expect(codeOf(() => imageContent("not base64!", "image/png"))).toBe("FMCP_ERR_CONTENT_INVALID");
    expect(codeOf(() => imageContent("abc", "image/png"))).toBe("FMCP_ERR_CONTENT_INVALID");
    expect(codeOf(() => audioContent(42 as never, "audio/wav"))).toBe("FMCP_ERR_CONTENT_INVALID");
    expect(codeOf(() => imageContent(BYTES, ""))).toBe("FMCP_ERR_CONTENT_INVALID");
    expect(() => audioContent(BYTES, undefined as never)).toThrow(FastestMcpError);
  });

  it("embeds text as resource.text and bytes as resource.blob", () => {
    expect(embeddedResource("test://a", "hello", "text/plain")).toEqual({
      type: "resource",
      resource: { uri: "test://a", text: "hello", mimeType: "text/plain" },
    });
    expect(embeddedResource("test://b", Uint8Array.from([1, 2]))).toEqual({
      type: "resource",
      resource: { uri: "test://b", blob: "AQI=" },
    });
  });

  it("links a resource, naming it after its last path segment by default", () => {
    expect(
      resourceLink("file:///docs/readme.md", { mimeType: "text/markdown", description: "Docs" }),
    ).toEqual({
      type: "resource_link",
      uri: "file:///docs/readme.md",
      name: "readme.md",
      mimeType: "text/markdown",
      description: "Docs",
    });
    expect(resourceLink("test://x", { name: "X" })).toEqual({
      type: "resource_link",
      uri: "test://x",
      name: "X",
    });
  });

  it("makes blocks a tool result passes through unchanged", async () => {
    const server = FastestMCP.server("content").addTool("mixed", () => ({
      content: [
        textContent("look:"),
        imageContent(BYTES, "image/png"),
        resourceLink("test://doc", { name: "doc" }),
        embeddedResource("test://doc", "body", "text/plain"),
      ],
    }));
    servers.push(server);
    const result = await server.callToolResult("mixed");
    expect(result.content.map((block) => block.type)).toEqual(["text", "image", "resource_link", "resource"]);
    expect(result.structuredContent).toBeUndefined();
  });
});
