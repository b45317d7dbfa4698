import type { ProtocolRevision } from "../../protocol/revisions.js";
import type { ServerState } from "../server-state.js";

/**
 * What this server offers on `revision`, as `initialize` (legacy) and `server/discover`
 * (stateless) state it. Resources, prompts and completion are declared once something of theirs
 * is registered. `listChanged` and `subscribe` mean the same on both: a 2025 session hears them
 * on its GET stream (`resources/subscribe`), a stateless client on `subscriptions/listen`. A
 * stateless revision gets no 2025 `tasks`: tasks are the tasks extension there, under `extensions`.
 */
export function serverCapabilities(core: ServerState, revision: ProtocolRevision): Record<string, unknown> {
  const capabilities: Record<string, unknown> = {
    tools: { listChanged: true },
    logging: {},
  };
  if (revision.tasks) capabilities.tasks = { list: {}, cancel: {}, requests: { tools: { call: {} } } };
  if (core.resources.size > 0) capabilities.resources = { subscribe: true, listChanged: true };
  if (core.prompts.size > 0) capabilities.prompts = { listChanged: true };
  if (core.prompts.size > 0 || core.resources.templateCount > 0) capabilities.completions = {};
  if (revision.stateless) {
    const tasks = revision.taskExtension;
    capabilities.extensions = tasks === undefined ? {} : { [tasks.id]: {} };
  }
  return capabilities;
}
