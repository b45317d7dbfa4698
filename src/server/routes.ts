import { complete } from "./completion/completion-handlers.js";
import type { Route, Routes } from "./dispatch/dispatcher.js";
import { discover, initialize, ping, setLogLevel } from "./lifecycle/lifecycle-handlers.js";
import { getPrompt, listPrompts } from "./prompts/prompt-handlers.js";
import {
  listResources,
  listResourceTemplates,
  readResource,
  subscribeResource,
  unsubscribeResource,
} from "./resources/resource-handlers.js";
import { listen } from "./subscriptions/listen-handler.js";
import { cancelTask, getTask, getTaskResult, listTasks, updateTaskInputs } from "./tasks/task-handlers.js";
import { callTool, listTools } from "./tools/tool-handlers.js";

/**
 * Every method a server answers, feature by feature. The dispatcher serves these for wire sessions
 * and the in-process API alike.
 */
export const ROUTES: Routes = new Map<string, Route>([
  ["initialize", { handler: initialize, beforeInit: true }],
  // Stateless revisions only (each revision's profile lists the methods it has).
  ["server/discover", { handler: discover }],
  ["ping", { handler: ping, beforeInit: true }],
  ["logging/setLevel", { handler: setLogLevel }],
  ["tools/list", { handler: listTools }],
  ["tools/call", { handler: callTool }],
  ["resources/list", { handler: listResources }],
  ["resources/templates/list", { handler: listResourceTemplates }],
  ["resources/read", { handler: readResource }],
  ["resources/subscribe", { handler: subscribeResource }],
  ["resources/unsubscribe", { handler: unsubscribeResource }],
  ["prompts/list", { handler: listPrompts }],
  ["prompts/get", { handler: getPrompt }],
  ["completion/complete", { handler: complete }],
  // Stateless revisions only: their notifications travel on it (2025's on the GET stream).
  ["subscriptions/listen", { handler: listen }],
  ["tasks/get", { handler: getTask, tasks: true }],
  ["tasks/result", { handler: getTaskResult, tasks: true }],
  ["tasks/list", { handler: listTasks, tasks: true }],
  ["tasks/cancel", { handler: cancelTask, tasks: true }],
  // The tasks extension's (SEP-2663, stateless revisions): the legacy revisions do not list it.
  ["tasks/update", { handler: updateTaskInputs, tasks: true }],
]);
