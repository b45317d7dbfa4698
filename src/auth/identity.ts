import type { AuthInfo } from "../protocol/auth-info.js";

/**
 * The stable key of an identity: issuer, subject and client id. With auth on, it owns the tasks
 * the identity starts and is bound to the sessions it opens, so the same user and client see
 * their tasks from any session, and nobody else does. JSON keeps the three parts unambiguous.
 */
export function identityKey(auth: AuthInfo): string {
  return `auth:${JSON.stringify([auth.issuer ?? null, auth.subject, auth.clientId ?? null])}`;
}
