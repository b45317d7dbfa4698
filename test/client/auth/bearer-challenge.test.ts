/** `WWW-Authenticate` challenges as servers send them (RFC 6750 §3, RFC 9728 §5.1). */
import { describe, expect, it } from "vitest";
import { parseBearerChallenge } from "../../../src/client/auth/bearer-challenge.js";

describe("parseBearerChallenge", () => {
  it("reads resource_metadata, scope and error, quoted or not, in any case and order", () => {
    expect(
      parseBearerChallenge(
        'bearer error=insufficient_scope, SCOPE="read write", resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"',
      ),
    ).toEqual({
      error: "insufficient_scope",
      scope: "read write",
      resourceMetadata: "https://mcp.example/.well-known/oauth-protected-resource",
    });
  });

  it("unescapes quoted strings and keeps commas inside them", () => {
    expect(parseBearerChallenge('Bearer error_description="a \\"quoted\\", text", scope="a,b"')).toEqual({
      scope: "a,b",
    });
  });

  it("skips another scheme before the Bearer challenge", () => {
    expect(parseBearerChallenge('Basic realm="x", Bearer scope="read"')).toEqual({ scope: "read" });
  });

  it("reads nothing from a missing header, another scheme, or a bare Bearer", () => {
    expect(parseBearerChallenge(null)).toEqual({});
    expect(parseBearerChallenge('Basic realm="x"')).toEqual({});
    expect(parseBearerChallenge("Bearer")).toEqual({});
  });
});
