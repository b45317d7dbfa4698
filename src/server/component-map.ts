import { type AccessRule, allows, visibleDefinitions } from "../auth/component-access.js";
import type { AuthInfo } from "../protocol/auth-info.js";
import { type CacheHints, listCacheHints, type ResolvedCacheHints } from "./cache-hints.js";

/** A registered component as a {@link ComponentMap} sees it: its list entry and who may use it. */
export interface ListedComponent<D> {
  readonly definition: D;
  readonly access: AccessRule | undefined;
  /** Its `cache` option (2026-07-28's `ttlMs`/`cacheScope`); undefined: the server's defaults. */
  readonly cache?: CacheHints | undefined;
}

/**
 * Registered components by key, in registration order: what the tool, prompt and resource
 * registries share. Lookups honour access rules (a component the caller may not use is absent),
 * and the list payload is cached until the set changes; while no component has a rule, listing
 * and lookup skip the rules.
 */
export class ComponentMap<C extends ListedComponent<D>, D> {
  readonly #items = new Map<string, C>();
  #list: readonly D[] | undefined;
  #hints: ResolvedCacheHints | undefined;
  #restricted = 0;

  has(key: string): boolean {
    return this.#items.has(key);
  }

  get(key: string): C | undefined {
    return this.#items.get(key);
  }

  values(): IterableIterator<C> {
    return this.#items.values();
  }

  get size(): number {
    return this.#items.size;
  }

  /** Stores a component under a key the caller has checked is free. */
  add(key: string, component: C): void {
    if (component.access !== undefined) this.#restricted++;
    this.#items.set(key, component);
    this.#list = undefined;
    this.#hints = undefined;
  }

  /** Removes a component; returns whether it existed. */
  remove(key: string): boolean {
    const component = this.#items.get(key);
    if (component === undefined) return false;
    this.#items.delete(key);
    if (component.access !== undefined) this.#restricted--;
    this.#list = undefined;
    this.#hints = undefined;
    return true;
  }

  /** The component `auth` may use under that key; undefined, as for an unknown key, when it may not. */
  find(key: string, auth: AuthInfo | undefined): C | undefined {
    const component = this.#items.get(key);
    return component === undefined || allows(component.access, auth) ? component : undefined;
  }

  /** True when `auth` may use `component` (always, while no component has a rule). */
  allows(component: C, auth: AuthInfo | undefined): boolean {
    return this.#restricted === 0 || allows(component.access, auth);
  }

  /** The list payload for `auth`: the cached list while no component has an access rule. */
  visible(auth: AuthInfo | undefined): readonly D[] {
    return visibleDefinitions(this.list(), this.#items.values(), this.#restricted, auth);
  }

  /**
   * The cache hints of {@link visible}'s list for `auth` (see `listCacheHints`): kept until the
   * set changes while no component has an access rule (`defaults` are the server's, constant).
   */
  cacheHints(auth: AuthInfo | undefined, defaults: ResolvedCacheHints): ResolvedCacheHints {
    if (this.#restricted === 0) {
      this.#hints ??= listCacheHints(
        Array.from(this.#items.values(), (c) => c.cache),
        defaults,
        false,
      );
      return this.#hints;
    }
    const visible: (CacheHints | undefined)[] = [];
    for (const component of this.#items.values())
      if (allows(component.access, auth)) visible.push(component.cache);
    return listCacheHints(visible, defaults, true);
  }

  /** The list payload; the same array until a component is added or removed. Do not mutate. */
  list(): readonly D[] {
    this.#list ??= Array.from(this.#items.values(), (component) => component.definition);
    return this.#list;
  }
}
