import { FastestMcpError } from "../../errors.js";
import type { Completion } from "../../protocol/prompt-types.js";
import { InternalError } from "../../protocol/protocol-error.js";

/** At most this many values go into one `completion/complete` answer (MCP's limit). */
export const MAX_COMPLETION_VALUES = 100;

/** What a completion function knows besides the partial value. */
export interface CompletionContext {
  /** Arguments (or template variables) the client already resolved (`context.arguments`). */
  readonly arguments: Readonly<Record<string, string>>;
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
}

/**
 * Completes one prompt argument or template variable: a fixed list (filtered by case-insensitive
 * prefix), or a function returning the suggestions for the partial `value`.
 */
export type CompletionProvider =
  | readonly string[]
  | ((value: string, context: CompletionContext) => readonly string[] | Promise<readonly string[]>);

/** Completion providers by argument (prompt) or variable (resource template) name. */
export type CompletionProviders = Readonly<Record<string, CompletionProvider>>;

/** A provider compiled at registration: resolves with the (uncapped) matching values. */
export type Completer = (value: string, context: CompletionContext) => Promise<readonly string[]>;

function staticCompleter(values: readonly string[], label: string): Completer {
  if (!values.every((value) => typeof value === "string")) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `The completion values of ${label} must be strings.`,
    );
  }
  const entries = values.map((value) => [value.toLowerCase(), value] as const);
  return async (prefix) => {
    const wanted = prefix.toLowerCase();
    return entries.filter(([lower]) => lower.startsWith(wanted)).map(([, value]) => value);
  };
}

function functionCompleter(
  provider: (value: string, context: CompletionContext) => readonly string[] | Promise<readonly string[]>,
  label: string,
): Completer {
  return async (value, context) => {
    const values: unknown = await provider(value, context);
    if (!Array.isArray(values) || !values.every((item) => typeof item === "string")) {
      throw new InternalError(
        `The completion function of ${label} must return an array of strings.`,
        "completion-result-invalid",
      );
    }
    return values as readonly string[];
  };
}

/**
 * Compiles a component's `complete` option. Every key must name one of `names` (the prompt's
 * arguments or the template's variables).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for an unknown name or a provider of the wrong type.
 */
export function compileCompleters(
  providers: CompletionProviders | undefined,
  names: readonly string[],
  owner: string,
): ReadonlyMap<string, Completer> {
  const completers = new Map<string, Completer>();
  if (providers === undefined) return completers;
  if (typeof providers !== "object" || providers === null) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `The complete option of ${owner} must be an object of providers.`,
    );
  }
  for (const [name, provider] of Object.entries(providers)) {
    const label = `"${name}" of ${owner}`;
    if (!names.includes(name)) {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `The complete option of ${owner} names "${name}", which it does not have (it has: ${names.join(", ") || "none"}).`,
      );
    }
    if (Array.isArray(provider)) completers.set(name, staticCompleter(provider, label));
    else if (typeof provider === "function") completers.set(name, functionCompleter(provider, label));
    else {
      throw new FastestMcpError(
        "FMCP_ERR_OPTION_INVALID",
        `The completion provider of ${label} must be an array of strings or a function.`,
      );
    }
  }
  return completers;
}

/** Runs a completer and caps its answer at {@link MAX_COMPLETION_VALUES}, with `total` and `hasMore`. */
export async function runCompleter(
  completer: Completer | undefined,
  value: string,
  context: CompletionContext,
): Promise<Completion> {
  if (completer === undefined) return { values: [], total: 0, hasMore: false };
  const all = await completer(value, context);
  const values = all.length > MAX_COMPLETION_VALUES ? all.slice(0, MAX_COMPLETION_VALUES) : [...all];
  return { values, total: all.length, hasMore: all.length > MAX_COMPLETION_VALUES };
}
