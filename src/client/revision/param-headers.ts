import { ErrorCode } from "../../protocol/error-codes.js";
import { isObject } from "../../protocol/is-object.js";
import { isProtocolError } from "../../protocol/protocol-error.js";
import { encodeHeaderValue } from "./stateless-headers.js";

/** RFC 9110 `token`: what a header name may be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The types an `x-mcp-header` parameter may have (`number` too: the conformance referee uses it). */
const PERMITTED = new Set(["string", "integer", "boolean", "number"]);

/**
 * SEP-2243's custom headers (2026-07-28 over HTTP): a tool's `inputSchema` may mark a top-level
 * property with `x-mcp-header: "Name"`, and a `tools/call` of it then mirrors that argument in an
 * `Mcp-Param-Name` header, so an intermediary can route on it without reading the body. Learned
 * from `tools/list`: a tool this client has not listed is called without them, and when the
 * server refuses that call for a missing header, the client lists the tools and calls once more.
 */
export class ParamHeaders {
  /** Per tool name: [argument, header name] pairs. */
  readonly #byTool = new Map<string, Array<readonly [string, string]>>();
  /** Every tool a `tools/list` answer named. */
  readonly #listed = new Set<string>();

  /** Records the annotations of listed tools (a malformed one is ignored, as the spec says). */
  learn(tools: readonly unknown[]): void {
    for (const tool of tools) {
      if (!isObject(tool) || typeof tool.name !== "string") continue;
      this.#listed.add(tool.name);
      const schema = isObject(tool.inputSchema) ? tool.inputSchema : {};
      const properties = isObject(schema.properties) ? schema.properties : {};
      const pairs: Array<readonly [string, string]> = [];
      for (const [argument, property] of Object.entries(properties)) {
        if (!isObject(property)) continue;
        const header = property["x-mcp-header"];
        if (typeof header !== "string" || !TOKEN.test(header)) continue;
        if (typeof property.type === "string" && !PERMITTED.has(property.type)) continue;
        pairs.push([argument, header]);
      }
      if (pairs.length > 0) this.#byTool.set(tool.name, pairs);
      else this.#byTool.delete(tool.name);
    }
  }

  /** Whether a `tools/list` answer named the tool (with or without annotations). */
  knows(tool: string): boolean {
    return this.#listed.has(tool);
  }

  /** The `Mcp-Param-*` headers of a `tools/call` (none for a null or absent argument). */
  headersOf(method: string, params: Record<string, unknown>): Record<string, string> | undefined {
    if (method !== "tools/call" || typeof params.name !== "string") return undefined;
    const pairs = this.#byTool.get(params.name);
    if (pairs === undefined) return undefined;
    const args = isObject(params.arguments) ? params.arguments : {};
    const headers: Record<string, string> = {};
    for (const [argument, header] of pairs) {
      const value = args[argument];
      if (typeof value === "string") headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(value);
      else if (typeof value === "number" || typeof value === "boolean") {
        headers[`mcp-param-${header.toLowerCase()}`] = String(value);
      }
    }
    return headers;
  }

  /**
   * Sends a request with its `Mcp-Param-*` headers. A `tools/call` of a tool no `tools/list` has
   * named yet goes without them; when the server refuses it for a missing header (`-32020`), every
   * page of `tools/list` is read (which teaches the annotations) and the call is sent once more.
   * Answers the result and the headers it went with (an `input_required` retry reuses them).
   */
  async send(
    method: string,
    params: Record<string, unknown>,
    io: {
      send: (headers: Record<string, string> | undefined) => Promise<Record<string, unknown>>;
      listTools: (cursor: string | undefined) => Promise<Record<string, unknown>>;
    },
  ): Promise<{ result: Record<string, unknown>; headers: Record<string, string> | undefined }> {
    const headers = this.headersOf(method, params);
    try {
      return { result: await io.send(headers), headers };
    } catch (error) {
      const tool = method === "tools/call" ? params.name : undefined;
      const unknownTool = typeof tool === "string" && !this.knows(tool);
      if (!unknownTool || !isProtocolError(error) || error.code !== ErrorCode.HeaderMismatch) throw error;
      let cursor: unknown;
      do {
        cursor = (await io.listTools(typeof cursor === "string" ? cursor : undefined)).nextCursor;
      } while (typeof cursor === "string");
      const learned = this.headersOf(method, params);
      return { result: await io.send(learned), headers: learned };
    }
  }
}
