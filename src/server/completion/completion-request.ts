import type { AuthInfo } from "../../protocol/auth-info.js";
import { isObject } from "../../protocol/is-object.js";
import type { CompleteResult, CompletionReference } from "../../protocol/prompt-types.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import type { PromptRegistry } from "../prompts/prompt-registry.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import { type Completer, runCompleter } from "./completers.js";

/** A checked `completion/complete` request. */
export interface CompletionRequest {
  readonly ref: CompletionReference;
  readonly argument: { readonly name: string; readonly value: string };
  /** Values already resolved (`context.arguments`). */
  readonly arguments: Readonly<Record<string, string>>;
}

function invalid(message: string, parameter: string): InvalidParamsError {
  return new InvalidParamsError(`completion/complete ${message}`, "invalid-params", { parameter });
}

/**
 * Checks the params of `completion/complete`.
 * @throws {InvalidParamsError} (-32602, `invalid-params`) naming the parameter that is wrong.
 */
export function parseCompletionParams(params: Record<string, unknown>): CompletionRequest {
  const { ref, argument, context } = params;
  let parsedRef: CompletionReference;
  if (isObject(ref) && ref.type === "ref/prompt" && typeof ref.name === "string") {
    parsedRef = { type: "ref/prompt", name: ref.name };
  } else if (isObject(ref) && ref.type === "ref/resource" && typeof ref.uri === "string") {
    parsedRef = { type: "ref/resource", uri: ref.uri };
  } else {
    throw invalid('needs "ref" as { type: "ref/prompt", name } or { type: "ref/resource", uri }.', "ref");
  }
  if (!isObject(argument) || typeof argument.name !== "string" || typeof argument.value !== "string") {
    throw invalid('needs "argument" as { name, value } with string values.', "argument");
  }
  const resolved = context === undefined ? undefined : isObject(context) ? context.arguments : context;
  if (
    resolved !== undefined &&
    (!isObject(resolved) || !Object.values(resolved).every((value) => typeof value === "string"))
  ) {
    throw invalid('needs "context.arguments", when present, as an object of strings.', "context");
  }
  return {
    ref: parsedRef,
    argument: { name: argument.name, value: argument.value },
    arguments: (resolved ?? {}) as Record<string, string>,
  };
}

/** The completer of the named argument of a prompt or template variable. */
function findCompleter(
  resources: ResourceRegistry,
  prompts: PromptRegistry,
  request: CompletionRequest,
  auth: AuthInfo | undefined,
): Completer | undefined {
  const { ref, argument } = request;
  let names: readonly string[];
  let completers: ReadonlyMap<string, Completer>;
  if (ref.type === "ref/prompt") {
    // What the caller may not use is unknown to it.
    const prompt = prompts.find(ref.name, auth);
    if (prompt === undefined) {
      throw new InvalidParamsError(
        `Cannot complete: no prompt named "${ref.name}".`,
        "completion-ref-not-found",
        { ref },
      );
    }
    names = prompt.definition.arguments?.map((listed) => listed.name) ?? [];
    completers = prompt.completers;
  } else {
    const template = resources.getTemplate(ref.uri, auth);
    if (template === undefined) {
      throw new InvalidParamsError(
        `Cannot complete: no resource template "${ref.uri}" (ref/resource names a URI template from resources/templates/list).`,
        "completion-ref-not-found",
        { ref },
      );
    }
    names = template.template.variables;
    completers = template.completers;
  }
  if (!names.includes(argument.name)) {
    throw new InvalidParamsError(
      `Cannot complete "${argument.name}": ${ref.type === "ref/prompt" ? `prompt "${ref.name}" has no such argument` : `template "${ref.uri}" has no such variable`}.`,
      "completion-argument-not-found",
      { ref, argument: argument.name },
    );
  }
  return completers.get(argument.name);
}

/**
 * Answers a completion request: the provider's values for the partial value, at most 100, with
 * `total` and `hasMore`. An argument without a provider completes to no values.
 * The one path for `completion/complete` and `server.complete`.
 */
export async function complete(
  resources: ResourceRegistry,
  prompts: PromptRegistry,
  request: CompletionRequest,
  signal: AbortSignal,
  auth?: AuthInfo,
): Promise<CompleteResult> {
  const completer = findCompleter(resources, prompts, request, auth);
  const completion = await runCompleter(completer, request.argument.value, {
    arguments: request.arguments,
    signal,
  });
  return { completion };
}
