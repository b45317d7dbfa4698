import type { SessionManager } from "../../server/session/session-manager.js";
import type { DiagnosticLogger } from "../../util/diagnostics.js";
import type { HttpSession } from "./http-session.js";
import type { SharedHttpSessions } from "./shared-http-sessions.js";

/**
 * Ends the sessions of `held` idle for `idleMs` or longer at `now` (no request in flight, no
 * open stream, no task of their owner running here), and returns how many ended. A shared one
 * ends only if no instance used it either (then on every instance); else only this instance's
 * replica goes. A shared session at work here is marked used, so it stays alive everywhere.
 */
export async function endIdleSessions(
  held: Map<string, HttpSession>,
  sessions: SessionManager,
  shared: SharedHttpSessions | undefined,
  idleMs: number,
  now: number,
  logger: DiagnosticLogger,
): Promise<number> {
  const idle: HttpSession[] = [];
  for (const http of held.values()) {
    const working = http.busy || sessions.runningTasks(http.session.owner) > 0;
    if (!working && now - http.lastActivity >= idleMs) idle.push(http);
    else if (working && http.shared) shared?.touch(http, now);
  }
  let ended = 0;
  for (const http of idle) {
    const id = http.session.id;
    try {
      if (await sessions.endIdle(id, idleMs)) ended++;
    } catch (error) {
      logger.warn("could not end an idle shared session; trying again later", { error });
      continue;
    }
    if (held.get(id) === http) held.delete(id);
    http.disconnectAll();
  }
  return ended;
}
