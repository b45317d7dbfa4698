import type { ProtocolRevision } from "../../protocol/revisions.js";
import type { ServerState } from "../server-state.js";

/**
 * What this server offers on `revision`, as `initialize` (legacy) and `server/discover`
 * (stateless) state it. Resources, prompts and completion are declared once something of theirs
 * is registered. A stateless revision gets no `listChanged` or `subscribe` yet: its notifications
 * travel on `subscriptions/listen`, which this server does not serve yet; nor the 2025 `tasks`:
 * tasks are the tasks extension there, declared under `extensions`.
 */
export function serverCapabilities(core: ServerState, revision: ProtocolRevision): Record<string, unknown> {
  const stateful = !revision.stateless;
  const capabilities: Record<string, unknown> = {
    tools: stateful ? { listChanged: true } : {},
    logging: {},
  };
  if (revision.tasks) capabilities.tasks = { list: {}, cancel: {}, requests: { tools: { call: {} } } };
  if (core.resources.size > 0)
    capabilities.resources = stateful ? { subscribe: true, listChanged: true } : {};
  if (core.prompts.size > 0) capabilities.prompts = stateful ? { listChanged: true } : {};
  if (core.prompts.size > 0 || core.resources.templateCount > 0) capabilities.completions = {};
  if (!stateful) {
    const tasks = revision.taskExtension;
    capabilities.extensions = tasks === undefined ? {} : { [tasks.id]: {} };
  }
  return capabilities;
}
