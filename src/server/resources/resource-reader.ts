import { ResourceNotFoundError } from "../../protocol/component-errors.js";
import { InvalidParamsError } from "../../protocol/protocol-error.js";
import { quote } from "../../protocol/quote.js";
import type { ReadResourceResult } from "../../protocol/resource-types.js";
import { resolveCacheHints, withCacheHints } from "../cache-hints.js";
import type { RequestScope } from "../dispatch/request-scope.js";
import { withContext } from "../dispatch/with-context.js";
import type { ResourceRegistry } from "./resource-registry.js";
import { toReadResourceResult } from "./resource-result.js";

function parseUri(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    throw new InvalidParamsError(`Resource URI ${quote(uri)} is not a valid URI.`, "invalid-resource-uri", {
      uri,
    });
  }
}

/**
 * Reads `uri` for `scope` (a `resources/read` request, from a session or in-process): the fixed
 * resource registered under it, else the first template that matches it.
 * @throws {ResourceNotFoundError} (-32002) when nothing serves the URI; whatever the handler throws.
 */
export async function readResource(
  registry: ResourceRegistry,
  uri: string,
  scope: RequestScope,
): Promise<ReadResourceResult> {
  // What the caller may not read is unknown to it.
  const resolved = registry.resolve(uri, scope.auth);
  if (resolved === undefined) throw new ResourceNotFoundError(uri);
  const url = parseUri(uri);
  if (resolved.resource !== undefined) {
    const { resource } = resolved;
    const value = await withContext(scope, `Reading resource "${uri}"`, (ctx) => resource.handler(url, ctx));
    return withCacheHints(
      toReadResourceResult(value, uri, resource.mimeType),
      resolveCacheHints(resource.cache, scope.core.cacheDefaults),
    );
  }
  const { template, variables } = resolved;
  const value = await withContext(scope, `Reading resource "${uri}"`, (ctx) =>
    template.handler(url, variables, ctx),
  );
  return withCacheHints(
    toReadResourceResult(value, uri, template.mimeType),
    resolveCacheHints(template.cache, scope.core.cacheDefaults),
  );
}
