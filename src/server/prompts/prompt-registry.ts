import { type AccessRule, accessRule } from "../../auth/component-access.js";
import { FastestMcpError } from "../../errors.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import type { Prompt, PromptArgument } from "../../protocol/prompt-types.js";
import { isStandardSchema, standardToJsonSchema, standardValidator } from "../../schema/standard-schema.js";
import type { Validator } from "../../schema/validator.js";
import { type CacheHints, checkCacheHints, type ResolvedCacheHints } from "../cache-hints.js";
import { type Completer, compileCompleters } from "../completion/completers.js";
import { ComponentMap } from "../component-map.js";
import type { PromptArguments, PromptHandler, PromptOptions } from "./prompt-options.js";

/** Everything needed to render a prompt, computed once at registration. */
export interface RegisteredPrompt {
  readonly name: string;
  /** Its `cache` option, checked (2026-07-28 `prompts/list` hints). */
  readonly cache: CacheHints | undefined;
  readonly definition: Prompt;
  readonly handler: PromptHandler<unknown>;
  /** Names of the required arguments, checked before validation so the error can name them. */
  readonly required: readonly string[];
  /** The Standard Schema's validator, when the arguments were given as one. */
  readonly validate: Validator | undefined;
  readonly completers: ReadonlyMap<string, Completer>;
  /** Who may use it (`requiredScopes`, `canAccess`); undefined: everyone. */
  readonly access: AccessRule | undefined;
}

function argumentsFromList(list: readonly PromptArgument[], prompt: string): PromptArgument[] {
  if (!Array.isArray(list)) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `The arguments of prompt "${prompt}" must be a list of { name, description, required } or a Standard Schema object.`,
    );
  }
  const seen = new Set<string>();
  return list.map((argument) => {
    const name = (argument as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.length === 0) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `Every argument of prompt "${prompt}" needs a non-empty "name".`,
      );
    }
    if (seen.has(name)) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `Prompt "${prompt}" lists argument "${name}" twice.`,
      );
    }
    seen.add(name);
    const listed: PromptArgument = { name };
    if (argument.title !== undefined) listed.title = argument.title;
    if (argument.description !== undefined) listed.description = argument.description;
    if (argument.required === true) listed.required = true;
    return listed;
  });
}

function argumentsFromSchema(json: Record<string, unknown>, prompt: string): PromptArgument[] {
  const properties = json.properties;
  if (
    json.type !== "object" ||
    (properties !== undefined && (typeof properties !== "object" || properties === null))
  ) {
    throw new FastestMcpError(
      "FMCP_ERR_SCHEMA_INVALID",
      `The arguments schema of prompt "${prompt}" must describe an object of string arguments.`,
    );
  }
  const required = Array.isArray(json.required) ? (json.required as string[]) : [];
  return Object.entries((properties ?? {}) as Record<string, Record<string, unknown>>).map(
    ([name, property]) => {
      const listed: PromptArgument = { name };
      if (typeof property?.title === "string") listed.title = property.title;
      if (typeof property?.description === "string") listed.description = property.description;
      if (required.includes(name)) listed.required = true;
      return listed;
    },
  );
}

function compileArguments(
  input: PromptArguments | undefined,
  prompt: string,
): { listed: PromptArgument[]; validate: Validator | undefined } {
  if (input === undefined) return { listed: [], validate: undefined };
  if (isStandardSchema(input)) {
    const json = standardToJsonSchema(input, "input", `arguments schema of prompt "${prompt}"`);
    return { listed: argumentsFromSchema(json, prompt), validate: standardValidator(input) };
  }
  return { listed: argumentsFromList(input, prompt), validate: undefined };
}

/** The server's prompts by name, with the `prompts/list` payload cached until the set changes. */
export class PromptRegistry {
  readonly #prompts = new ComponentMap<RegisteredPrompt, Prompt>();

  /** Validates, compiles and stores a prompt. Throws `FastestMcpError` on any misuse. */
  add(name: string, handler: PromptHandler<never>, options: PromptOptions = {}): RegisteredPrompt {
    if (typeof name !== "string" || name.length === 0) {
      throw new FastestMcpError(
        "FMCP_ERR_PROMPT_NAME_INVALID",
        `Prompt name ${JSON.stringify(name)} is invalid: use a non-empty string.`,
      );
    }
    if (this.#prompts.has(name)) {
      throw new FastestMcpError(
        "FMCP_ERR_PROMPT_DUPLICATE",
        `A prompt named "${name}" is already registered.`,
      );
    }
    if (typeof handler !== "function") {
      throw new FastestMcpError(
        "FMCP_ERR_HANDLER_INVALID",
        `The handler of prompt "${name}" must be a function.`,
      );
    }
    const { listed, validate } = compileArguments(options.arguments, name);
    const completers = compileCompleters(
      options.complete,
      listed.map((argument) => argument.name),
      `prompt "${name}"`,
    );
    const access = accessRule(options, `prompt "${name}"`);
    const cache = checkCacheHints(options.cache, `prompt "${name}"`);
    const definition: Prompt = { name };
    if (options.title !== undefined) definition.title = options.title;
    if (options.description !== undefined) definition.description = options.description;
    if (listed.length > 0) definition.arguments = listed;
    if (options._meta !== undefined) definition._meta = options._meta;
    const prompt: RegisteredPrompt = {
      name,
      definition,
      handler: handler as PromptHandler<unknown>,
      required: listed.filter((argument) => argument.required === true).map((argument) => argument.name),
      validate,
      completers,
      access,
      cache,
    };
    this.#prompts.add(name, prompt);
    return prompt;
  }

  /** Removes a prompt; returns whether it existed. */
  remove(name: string): boolean {
    return this.#prompts.remove(name);
  }

  get(name: string): RegisteredPrompt | undefined {
    return this.#prompts.get(name);
  }

  /** The prompt `auth` may use by that name; undefined, as for an unknown name, when it may not. */
  find(name: string, auth: AuthInfo | undefined): RegisteredPrompt | undefined {
    return this.#prompts.find(name, auth);
  }

  /** The `prompts/list` payload for `auth`: the cached list while no prompt has an access rule. */
  visible(auth: AuthInfo | undefined): readonly Prompt[] {
    return this.#prompts.visible(auth);
  }

  /** The cache hints of `visible(auth)` on 2026-07-28 (see `listCacheHints`). */
  cacheHints(auth: AuthInfo | undefined, defaults: ResolvedCacheHints): ResolvedCacheHints {
    return this.#prompts.cacheHints(auth, defaults);
  }

  /** The `prompts/list` payload; the same array until a prompt is added or removed. Do not mutate. */
  list(): readonly Prompt[] {
    return this.#prompts.list();
  }

  get size(): number {
    return this.#prompts.size;
  }
}
