import { describe, expect, expectTypeOf, it } from "vitest";
import { FastestMCP } from "../../../../src/fastestmcp.js";
import type {
  UriTemplateValues,
  UriTemplateVariableName,
  UriTemplateVariables,
} from "../../../../src/server/resources/uri-template/uri-template.js";
import { UriTemplate } from "../../../../src/server/resources/uri-template/uri-template.js";

// Compile-time tests: `npm run typecheck` (tsc over test/) fails when an inference is wrong, and
// every `@ts-expect-error` line fails it when the error it expects goes away. At run time these
// only register the templates, so a typo in a template still fails here too.

describe("template variables inferred from the template literal", () => {
  it("gives level-1 variables as required strings", () => {
    expectTypeOf<UriTemplateVariables<"users://{id}">>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<UriTemplateVariables<"file:///{dir}/{name}.txt">>().toEqualTypeOf<{
      dir: string;
      name: string;
    }>();
  });

  it("types the level 2 to 4 operators: optional unless always present, lists when exploded", () => {
    expectTypeOf<UriTemplateVariables<"file:///{+path}">>().toEqualTypeOf<{ path: string }>();
    expectTypeOf<UriTemplateVariables<"x://a{#frag}">>().toEqualTypeOf<{ frag?: string }>();
    expectTypeOf<UriTemplateVariables<"x://a{.ext}">>().toEqualTypeOf<{ ext?: string }>();
    expectTypeOf<UriTemplateVariables<"x://a{/segments*}">>().toEqualTypeOf<{ segments?: string[] }>();
    expectTypeOf<UriTemplateVariables<"x://a{;v,w*}">>().toEqualTypeOf<{ v?: string; w?: string[] }>();
    expectTypeOf<UriTemplateVariables<"x://a{?query,page}">>().toEqualTypeOf<{
      query?: string;
      page?: string;
    }>();
    expectTypeOf<UriTemplateVariables<"x://a?x=1{&more*}">>().toEqualTypeOf<{ more?: string[] }>();
    // The first variable of {x,y} / {+x,y} always matches; the others may be absent.
    expectTypeOf<UriTemplateVariables<"map://{x,y:3}">>().toEqualTypeOf<{ x: string; y?: string }>();
    expectTypeOf<UriTemplateVariables<"x://{list*}">>().toEqualTypeOf<{ list: string[] }>();
    // A repeated variable is required when any occurrence is.
    expectTypeOf<UriTemplateVariables<"img://{name:1}{/name}">>().toEqualTypeOf<{ name: string }>();
  });

  it("falls back to a record for a template that is not a literal", () => {
    const template: string = "users://{id}";
    expectTypeOf<UriTemplateVariables<typeof template>>().toEqualTypeOf<Record<string, string | string[]>>();
    expectTypeOf<UriTemplateVariableName<typeof template>>().toEqualTypeOf<string>();
  });

  it("names the variables and types what expand takes", () => {
    expectTypeOf<UriTemplateVariableName<"x://{a}{/b*}{?c:3}">>().toEqualTypeOf<"a" | "b" | "c">();
    const template = new UriTemplate("users://{id}{?fields*,v:2}");
    expectTypeOf(template.match("users://1")).toEqualTypeOf<
      { id: string; fields?: string[]; v?: string } | undefined
    >();
    template.expand({ id: 42, fields: ["a", "b"] });
    template.expand({});
    // @ts-expect-error: not a variable of the template
    template.expand({ ids: "1" });
    // @ts-expect-error: a prefix applies to strings only (and throws at run time)
    expect(() => template.expand({ v: ["x"] })).toThrow(/prefix applies to a string/);
    expectTypeOf<UriTemplateValues<"x://{a}">>().toEqualTypeOf<{
      readonly a?:
        | string
        | number
        | boolean
        | readonly (string | number | boolean)[]
        | Readonly<Record<string, string | number | boolean>>
        | null;
    }>();
  });
});

describe("addResourceTemplate handlers typed from their template", () => {
  it("gives the handler the inferred variables and checks complete against them", async () => {
    const server = FastestMCP.server("types")
      .addResourceTemplate("users://{id}", (uri, variables) => {
        expectTypeOf(uri).toEqualTypeOf<URL>();
        expectTypeOf(variables).toEqualTypeOf<{ id: string }>();
        return variables.id.toUpperCase();
      })
      .addResourceTemplate("file:///{+path}{?lines,tag*}", (_uri, { path, lines, tag }) => {
        expectTypeOf(path).toEqualTypeOf<string>();
        expectTypeOf(lines).toEqualTypeOf<string | undefined>();
        expectTypeOf(tag).toEqualTypeOf<string[] | undefined>();
        return path;
      })
      .addResourceTemplate("x://{a}", () => "a", { complete: { a: ["1"] } });
    // @ts-expect-error: the template has no variable "name"
    server.addResourceTemplate("posts://{id}", (_uri, { name }) => String(name));
    // @ts-expect-error: lines may be absent, so it is no plain string
    server.addResourceTemplate("f:///{+p}{?lines}", (_uri, { lines }) => lines.trim());
    expect(() =>
      // @ts-expect-error: complete names a variable the template does not have
      server.addResourceTemplate("y://{a}", () => "a", { complete: { b: ["1"] } }),
    ).toThrow(expect.objectContaining({ code: "FMCP_ERR_OPTION_INVALID" }));
    expectTypeOf(server).toEqualTypeOf<FastestMCP>();
    await server.close();
  });
});
