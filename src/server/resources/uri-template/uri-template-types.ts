import type { UriTemplateScalar, UriTemplateValue } from "./uri-template-expand.js";
import type { UriTemplateMatch } from "./uri-template-match.js";

// Type-level reading of an RFC 6570 template literal, so that `"users://{id}{?fields*}"` gives
// handlers `{ id: string; fields?: string[] }`. It mirrors uri-template-syntax.ts and the matching
// rules of uri-template-match.ts; test/server/resources/uri-template/uri-template-types.test.ts pins both together.

type Operator = "+" | "#" | "." | "/" | ";" | "?" | "&";

/** The bodies of the template's `{…}` expressions, as a union. */
type Expressions<T extends string> = T extends `${string}{${infer Body}}${infer Rest}`
  ? Body | Expressions<Rest>
  : never;

type OperatorOf<Body extends string> = Body extends `${infer O extends Operator}${string}` ? O : "";
type SpecList<Body extends string> = Body extends `${Operator}${infer List}` ? List : Body;
type Split<List extends string> = List extends `${infer Head},${infer Tail}`
  ? [Head, ...Split<Tail>]
  : [List];

/** Varspecs that always match: the first of a `{x}` or `{+x}` expression (it spans at least one character). */
type RequiredSpec<Body extends string> = OperatorOf<Body> extends "" | "+" ? Split<SpecList<Body>>[0] : never;
/** Varspecs that may be absent: every other one. */
type OptionalSpec<Body extends string> =
  OperatorOf<Body> extends "" | "+"
    ? Split<SpecList<Body>> extends [string, ...infer Rest extends string[]]
      ? Rest[number]
      : never
    : Split<SpecList<Body>>[number];
type AnySpec<Body extends string> = Split<SpecList<Body>>[number];

type Distribute<U, F extends "required" | "optional" | "any"> = U extends string
  ? F extends "required"
    ? RequiredSpec<U>
    : F extends "optional"
      ? OptionalSpec<U>
      : AnySpec<U>
  : never;

/** The variable name of a varspec (`id`, `path*`, `name:3`). */
type NameOf<Spec extends string> = Spec extends `${infer Name}*`
  ? Name
  : Spec extends `${infer Name}:${string}`
    ? Name
    : Spec;
/** What a varspec matches: a list when exploded, else a string. */
type MatchOf<Spec extends string> = Spec extends `${string}*` ? string[] : string;
/** What a varspec expands from: a prefix applies to strings only. */
type ValueOf<Spec extends string> = Spec extends `${string}:${string}`
  ? UriTemplateScalar | null | undefined
  : UriTemplateValue;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The names of a template's variables: `"a" | "b"` for `"x://{a}{?b}"`; `string` for a non-literal template. */
export type UriTemplateVariableName<T extends string> = string extends T
  ? string
  : NameOf<Distribute<Expressions<T>, "any">>;

/**
 * The variables a URI matched against template `T`, as resource-template handlers receive them:
 * `{ id: string }` for `"users://{id}"`. The first variable of `{x}` / `{+x}` is always present;
 * every other one (`{/x}`, `{?x}`, the second of `{x,y}`, …) may be absent. Exploded variables
 * (`{/path*}`) are lists. A non-literal template gives `Record<string, string | string[]>`.
 */
export type UriTemplateVariables<T extends string> = string extends T
  ? Record<string, UriTemplateMatch>
  : Simplify<
      { [S in Distribute<Expressions<T>, "required"> as NameOf<S>]: MatchOf<S> } & {
        [S in Distribute<Expressions<T>, "optional"> as NameOf<S>]?: MatchOf<S>;
      }
    >;

/** What `UriTemplate.expand` takes for template `T`: any subset of its variables. */
export type UriTemplateValues<T extends string> = string extends T
  ? Readonly<Record<string, UriTemplateValue>>
  : { readonly [S in Distribute<Expressions<T>, "any"> as NameOf<S>]?: ValueOf<S> };
