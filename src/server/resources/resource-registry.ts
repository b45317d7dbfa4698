import { type AccessRule, accessRule } from "../../auth/component-access.js";
import { FastestMcpError } from "../../errors.js";
import type { AuthInfo } from "../../protocol/auth-info.js";
import type { Resource, ResourceTemplate } from "../../protocol/resource-types.js";
import { type CacheHints, checkCacheHints, type ResolvedCacheHints } from "../cache-hints.js";
import { type Completer, type CompletionProviders, compileCompleters } from "../completion/completers.js";
import { ComponentMap } from "../component-map.js";
import type {
  ResourceHandler,
  ResourceOptions,
  ResourceTemplateHandler,
  ResourceTemplateOptions,
} from "./resource-options.js";
import { UriTemplate, type UriTemplateMatch } from "./uri-template/uri-template.js";

/** A fixed resource, ready to read. */
export interface RegisteredResource {
  readonly uri: string;
  readonly definition: Resource;
  readonly handler: ResourceHandler;
  readonly mimeType: string | undefined;
  /** Who may read it (`requiredScopes`, `canAccess`); undefined: everyone. */
  readonly access: AccessRule | undefined;
  /** Its `cache` option, checked (2026-07-28 list and read hints). */
  readonly cache: CacheHints | undefined;
}

/** A resource template, compiled to a matcher at registration. */
export interface RegisteredResourceTemplate {
  readonly template: UriTemplate;
  readonly definition: ResourceTemplate;
  readonly handler: ResourceTemplateHandler;
  readonly mimeType: string | undefined;
  readonly completers: ReadonlyMap<string, Completer>;
  /** Who may read through it (`requiredScopes`, `canAccess`); undefined: everyone. */
  readonly access: AccessRule | undefined;
  /** Its `cache` option, checked (2026-07-28 list and read hints). */
  readonly cache: CacheHints | undefined;
}

/** Which registration serves a URI: a fixed resource, or a template with the values it matched. */
export type ResolvedResource =
  | { readonly resource: RegisteredResource; readonly template?: undefined }
  | {
      readonly template: RegisteredResourceTemplate;
      readonly variables: Record<string, UriTemplateMatch>;
      readonly resource?: undefined;
    };

function assertHandler(handler: unknown, what: string): void {
  if (typeof handler !== "function") {
    throw new FastestMcpError("FMCP_ERR_HANDLER_INVALID", `The handler of ${what} must be a function.`);
  }
}

function assertAbsoluteUri(uri: string): void {
  let valid = false;
  if (typeof uri === "string") {
    try {
      new URL(uri);
      valid = true;
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    throw new FastestMcpError(
      "FMCP_ERR_RESOURCE_URI_INVALID",
      `Resource URI ${JSON.stringify(uri)} is invalid: use an absolute URI such as "file:///notes.txt" or "app://config".`,
    );
  }
}

function assertSize(size: unknown, uri: string): void {
  if (size !== undefined && !(Number.isInteger(size) && (size as number) >= 0)) {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `The size of resource ${JSON.stringify(uri)} must be a whole number of bytes >= 0, got ${String(size)}.`,
    );
  }
}

/** Copies the optional listing fields that are set. */
function describe<T extends object>(target: T, options: ResourceOptions | ResourceTemplateOptions): T {
  for (const key of ["title", "description", "mimeType", "annotations", "size", "_meta"] as const) {
    const value = (options as ResourceOptions)[key];
    if (value !== undefined) Object.assign(target, { [key]: value });
  }
  return target;
}

/**
 * The server's resources (by URI) and resource templates (in registration order), with the
 * `resources/list` and `resources/templates/list` payloads cached until the set changes.
 */
export class ResourceRegistry {
  readonly #resources = new ComponentMap<RegisteredResource, Resource>();
  readonly #templates = new ComponentMap<RegisteredResourceTemplate, ResourceTemplate>();

  /** Validates and stores a fixed resource. Throws `FastestMcpError` on any misuse. */
  addResource(uri: string, handler: ResourceHandler, options: ResourceOptions = {}): RegisteredResource {
    assertAbsoluteUri(uri);
    if (this.#resources.has(uri)) {
      throw new FastestMcpError(
        "FMCP_ERR_RESOURCE_DUPLICATE",
        `A resource with URI "${uri}" is already registered.`,
      );
    }
    assertHandler(handler, `resource "${uri}"`);
    assertSize(options.size, uri);
    const access = accessRule(options, `resource "${uri}"`);
    const definition = describe<Resource>({ uri, name: options.name ?? uri }, options);
    const cache = checkCacheHints(options.cache, `resource "${uri}"`);
    const resource: RegisteredResource = {
      uri,
      definition,
      handler,
      mimeType: options.mimeType,
      access,
      cache,
    };
    this.#resources.add(uri, resource);
    return resource;
  }

  /** Validates, compiles and stores a resource template. Throws `FastestMcpError` on any misuse. */
  addTemplate(
    uriTemplate: string,
    handler: ResourceTemplateHandler<never>,
    options: ResourceTemplateOptions = {},
  ): RegisteredResourceTemplate {
    const template = new UriTemplate(uriTemplate);
    if (this.#templates.has(uriTemplate)) {
      throw new FastestMcpError(
        "FMCP_ERR_RESOURCE_DUPLICATE",
        `A resource template "${uriTemplate}" is already registered.`,
      );
    }
    assertHandler(handler, `resource template "${uriTemplate}"`);
    const completers = compileCompleters(
      // The type only narrows the keys; compileCompleters checks every provider at run time.
      options.complete as CompletionProviders | undefined,
      template.variables,
      `resource template "${uriTemplate}"`,
    );
    const access = accessRule(options, `resource template "${uriTemplate}"`);
    const cache = checkCacheHints(options.cache, `resource template "${uriTemplate}"`);
    const { complete: _complete, ...listed } = options;
    const definition = describe<ResourceTemplate>({ uriTemplate, name: options.name ?? uriTemplate }, listed);
    const registered: RegisteredResourceTemplate = {
      template,
      definition,
      // The template's own variables are what its matcher yields, so the handler gets its type.
      handler: handler as ResourceTemplateHandler,
      mimeType: options.mimeType,
      completers,
      access,
      cache,
    };
    this.#templates.add(uriTemplate, registered);
    return registered;
  }

  /** Removes a fixed resource; returns whether it existed. */
  removeResource(uri: string): boolean {
    return this.#resources.remove(uri);
  }

  /** Removes a resource template; returns whether it existed. */
  removeTemplate(uriTemplate: string): boolean {
    return this.#templates.remove(uriTemplate);
  }

  /**
   * The registration serving `uri` to `auth`: an exact fixed resource first, then the first
   * template that matches. What `auth` may not read is skipped, as if it were not registered.
   */
  resolve(uri: string, auth: AuthInfo | undefined): ResolvedResource | undefined {
    const resource = this.#resources.find(uri, auth);
    if (resource !== undefined) return { resource };
    for (const template of this.#templates.values()) {
      if (!this.#templates.allows(template, auth)) continue;
      const variables = template.template.match(uri);
      if (variables !== undefined) return { template, variables };
    }
    return undefined;
  }

  /** The template registered under exactly this URI template, when `auth` may use it. */
  getTemplate(uriTemplate: string, auth: AuthInfo | undefined): RegisteredResourceTemplate | undefined {
    return this.#templates.find(uriTemplate, auth);
  }

  /** The `resources/list` payload; the same array until the resources change. Do not mutate. */
  listResources(): readonly Resource[] {
    return this.#resources.list();
  }

  /** The `resources/list` payload for `auth`: the cached list while no resource has an access rule. */
  visibleResources(auth: AuthInfo | undefined): readonly Resource[] {
    return this.#resources.visible(auth);
  }

  /** The `resources/templates/list` payload for `auth`. */
  visibleTemplates(auth: AuthInfo | undefined): readonly ResourceTemplate[] {
    return this.#templates.visible(auth);
  }

  /** The cache hints of `visibleResources(auth)` on 2026-07-28 (see `listCacheHints`). */
  resourceCacheHints(auth: AuthInfo | undefined, defaults: ResolvedCacheHints): ResolvedCacheHints {
    return this.#resources.cacheHints(auth, defaults);
  }

  /** The cache hints of `visibleTemplates(auth)` on 2026-07-28. */
  templateCacheHints(auth: AuthInfo | undefined, defaults: ResolvedCacheHints): ResolvedCacheHints {
    return this.#templates.cacheHints(auth, defaults);
  }

  /** The `resources/templates/list` payload; the same array until the templates change. Do not mutate. */
  listTemplates(): readonly ResourceTemplate[] {
    return this.#templates.list();
  }

  /** How many resources and templates are registered. */
  get size(): number {
    return this.#resources.size + this.#templates.size;
  }

  /** How many templates are registered. */
  get templateCount(): number {
    return this.#templates.size;
  }
}
