import type { ClientRequestHandler } from "../../context/client-messages.js";
import type { ClientRequests } from "../../context/client-requests.js";
import type { JsonRpcId } from "../../protocol/jsonrpc.js";
import { RELATED_TASK_META_KEY } from "../../protocol/mcp-types.js";
import type { TaskRuntime } from "../../tasks/task-runtime.js";
import type { Session } from "./session.js";

/**
 * A handler's requests to the client of a wire session. For an immediate call they ride the
 * call's own stream. For a background task they carry the related-task `_meta` and ride the
 * stream of a pending `tasks/result` for that task when there is one (else the standalone stream).
 */
export function sessionClientRequests(
  session: Session,
  relatedRequestId: JsonRpcId | undefined,
  taskId?: string,
): ClientRequests {
  return {
    capabilities: session.clientCapabilities ?? {},
    missingCapability: (capability, what) => session.missingCapability(capability, what),
    request(method, params, signal, inputKey) {
      if (taskId === undefined)
        return session.request(method, params, { relatedRequestId, signal, inputKey });
      const meta = { ...(params._meta as object | undefined), [RELATED_TASK_META_KEY]: { taskId } };
      return session.request(
        method,
        { ...params, _meta: meta },
        { relatedRequestId: session.taskResultWaiters.get(taskId), signal },
      );
    },
  };
}

/**
 * Wraps a task's client requests so the task is `input_required` while the client has not
 * answered, and `working` again afterwards (MCP Tasks).
 */
export function withTaskStatus(
  requests: ClientRequests,
  runtime: TaskRuntime,
  owner: string,
  taskId: string,
): ClientRequests {
  return {
    capabilities: requests.capabilities,
    missingCapability: requests.missingCapability,
    async request(method, params, signal, inputKey) {
      await runtime.setStatus(owner, taskId, "input_required", `Waiting for the client to answer ${method}.`);
      try {
        return await requests.request(method, params, signal, inputKey);
      } finally {
        // A task cancelled meanwhile stays cancelled: the move back fails and is ignored.
        await runtime.setStatus(owner, taskId, "working").catch(() => undefined);
      }
    },
  };
}

/** In-process handlers standing in for a client (tests, embedding). */
export interface LocalClientHandlers {
  /** Answers `ctx.sample`: gets the `sampling/createMessage` params, returns the result. */
  samplingHandler?: ClientRequestHandler;
  /** Answers `ctx.elicit`: gets the `elicitation/create` params, returns `{ action, content }`. */
  elicitationHandler?: ClientRequestHandler;
  /** Answers `ctx.listRoots`: gets the `roots/list` params, returns `{ roots }`. */
  rootsHandler?: ClientRequestHandler;
}

/** {@link ClientRequests} served by in-process handlers; undefined when none is given. */
export function localClientRequests(handlers: LocalClientHandlers): ClientRequests | undefined {
  const { samplingHandler, elicitationHandler, rootsHandler } = handlers;
  if (samplingHandler === undefined && elicitationHandler === undefined && rootsHandler === undefined)
    return undefined;
  const capabilities: Record<string, unknown> = {};
  if (samplingHandler !== undefined) capabilities.sampling = {};
  if (elicitationHandler !== undefined) capabilities.elicitation = { form: {} };
  if (rootsHandler !== undefined) capabilities.roots = {};
  return {
    capabilities,
    async request(method, params) {
      if (method === "sampling/createMessage" && samplingHandler !== undefined)
        return samplingHandler(params);
      if (method === "elicitation/create" && elicitationHandler !== undefined)
        return elicitationHandler(params);
      if (method === "roots/list" && rootsHandler !== undefined) return rootsHandler(params);
      throw new Error(`No in-process handler for ${method}.`);
    },
  };
}
