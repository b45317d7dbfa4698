import { FastestMcpError } from "../errors.js";
import type { AuthInfo } from "../protocol/auth-info.js";
import { scopeList } from "./scopes.js";

/**
 * Who may use a tool, resource, resource template or prompt. A caller who may not does not see
 * it listed, and calling it answers exactly as for an unknown name (docs/auth.md).
 */
export interface ComponentAccessOptions {
  /** Scopes the caller's token must grant, all of them. A request without an identity (stdio) has none. */
  requiredScopes?: readonly string[];
  /**
   * Your own rule, given the caller's identity (`undefined` without one: stdio, or HTTP without
   * `auth`). Synchronous: it runs for every listing. A rule that throws denies.
   */
  canAccess?: (auth: AuthInfo | undefined) => boolean;
}

/** A compiled access rule: true when the caller may use the component. */
export type AccessRule = (auth: AuthInfo | undefined) => boolean;

/**
 * Compiles a component's access options; `undefined` when it is open to everyone (the fast path:
 * nothing runs per request).
 * @throws {FastestMcpError} `FMCP_ERR_OPTION_INVALID` for bad scope names or a `canAccess` that is not a function.
 */
export function accessRule(options: ComponentAccessOptions, what: string): AccessRule | undefined {
  const { requiredScopes, canAccess } = options;
  if (canAccess !== undefined && typeof canAccess !== "function") {
    throw new FastestMcpError(
      "FMCP_ERR_OPTION_INVALID",
      `canAccess of ${what} must be a function (auth) => boolean.`,
    );
  }
  const scopes = requiredScopes === undefined ? [] : scopeList(requiredScopes, `requiredScopes of ${what}`);
  if (scopes.length === 0 && canAccess === undefined) return undefined;
  return (auth) => {
    if (scopes.length > 0 && (auth === undefined || !scopes.every((scope) => auth.scopes.includes(scope)))) {
      return false;
    }
    if (canAccess === undefined) return true;
    try {
      return canAccess(auth) === true;
    } catch {
      return false;
    }
  };
}

/** Whether `rule` lets `auth` use a component (no rule: everyone may). */
export function allows(rule: AccessRule | undefined, auth: AuthInfo | undefined): boolean {
  return rule === undefined || rule(auth);
}

/**
 * A listing for `auth`: `all` (the registry's cached list) while no component has a rule, else
 * the definitions of the components it may use, in registration order.
 */
export function visibleDefinitions<D>(
  all: readonly D[],
  components: Iterable<{ readonly access: AccessRule | undefined; readonly definition: D }>,
  restricted: number,
  auth: AuthInfo | undefined,
): readonly D[] {
  if (restricted === 0) return all;
  const visible: D[] = [];
  for (const component of components) if (allows(component.access, auth)) visible.push(component.definition);
  return visible;
}
