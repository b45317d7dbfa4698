import { expandParts } from "./uri-template-expand.js";
import { compileMatcher, type UriMatcher } from "./uri-template-match.js";
import { parseTemplate, type TemplatePart, variableNames } from "./uri-template-syntax.js";
import type { UriTemplateValues, UriTemplateVariables } from "./uri-template-types.js";

export type { UriTemplateScalar, UriTemplateValue } from "./uri-template-expand.js";
export type { UriTemplateMatch } from "./uri-template-match.js";
export type {
  UriTemplateValues,
  UriTemplateVariableName,
  UriTemplateVariables,
} from "./uri-template-types.js";

/**
 * An RFC 6570 URI template (levels 1 to 4: `{var}`, `{+path}`, `{#frag}`, `{.ext}`,
 * `{/segments*}`, `{;params}`, `{?query,page}`, `{&more}`, prefixes `{var:3}`), parsed and
 * compiled to a matcher once. `expand` follows the RFC exactly; `match` reads a URI back into
 * variables by the rules in docs/resources.md ("Matching"). The type parameter is the template
 * literal, from which the variables' names and types are inferred.
 *
 * ```ts
 * const users = new UriTemplate("users://{id}{?fields*}");
 * users.match("users://42?fields=name&fields=email"); // { id: "42", fields: ["name", "email"] }
 * users.expand({ id: "42", fields: ["name"] }); // "users://42?fields=name"
 * ```
 */
export class UriTemplate<T extends string = string> {
  readonly template: T;
  /** The variable names, each once, in order of first appearance. */
  readonly variables: readonly string[];
  readonly #parts: readonly TemplatePart[];
  readonly #match: UriMatcher;

  /** @throws {FastestMcpError} `FMCP_ERR_RESOURCE_URI_INVALID` for a template that is not RFC 6570, or has no variable. */
  constructor(template: T) {
    this.#parts = parseTemplate(template);
    this.#match = compileMatcher(this.#parts);
    this.template = template;
    this.variables = variableNames(this.#parts);
  }

  /**
   * The variables of `uri` when it is an expansion of this template (values percent-decoded;
   * variables it leaves out are absent), else `undefined`.
   */
  match(uri: string): UriTemplateVariables<T> | undefined {
    return this.#match(uri) as UriTemplateVariables<T> | undefined;
  }

  /**
   * The URI for `values`, expanded as RFC 6570 specifies: values are percent-encoded for their
   * operator, and `undefined`, `null` and empty lists or objects leave their variable out.
   * @throws {FastestMcpError} `FMCP_ERR_RESOURCE_URI_INVALID` when a prefix variable (`{v:3}`) gets a list or object.
   */
  expand(values: UriTemplateValues<T>): string {
    return expandParts(this.#parts, values);
  }
}
