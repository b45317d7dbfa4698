import type { ClientRequests } from "../context/client-requests.js";
import { InternalError } from "../protocol/protocol-error.js";
import { checkInputResponse } from "../protocol/revisions/input-required.js";
import type { DiagnosticLogger } from "../util/diagnostics.js";
import type { TaskEventBus, TaskInputEvent, TaskInputResponses } from "./task-event-bus.js";
import type { TaskInputRequest, TaskRecord } from "./task-record.js";
import type { TaskRuntime } from "./task-runtime.js";

/** The short name a key starts with, per input request method. */
const KEY_PREFIX: Readonly<Record<string, string>> = {
  "elicitation/create": "elicit",
  "sampling/createMessage": "sample",
  "roots/list": "roots",
};

/** One ask a task's handler awaits. */
interface Waiter extends TaskInputRequest {
  resolve(answer: Record<string, unknown>): void;
}

/** A task's outstanding asks, and the chain that writes them to its record in order. */
interface WaitingTask {
  readonly owner: string;
  readonly asks: Map<string, Waiter>;
  write: Promise<unknown>;
}

/**
 * The tasks of a runtime waiting for the client's input (the tasks extension, stateless
 * revisions). A background task's handler runs in this process and can wait, so it needs no
 * replay: its `ctx.elicit()`/`ctx.sample()`/`ctx.listRoots()` parks the task in `input_required`
 * with the question on the record's `inputRequests` (what `tasks/get` shows, from any process
 * sharing the store), and `tasks/update` answers it ({@link deliver}); the task is `working`
 * again once nothing is outstanding.
 *
 * The waiting promises are this process's. A `tasks/update` served by another process (an
 * instance behind the same load balancer, or the server when a worker runs the task) is checked
 * there against the record's `inputRequests`, and its answers reach this process over the
 * runtime's event bus: every runtime on the bus receives them, and the one whose task waits
 * resolves its asks. So any process with a runtime and a bus, a server or a worker, takes
 * answers for the tasks it runs with nothing to wire. Without a bus, a `tasks/update` must reach
 * the process running the task (on another, its answers are ignored as keys nobody waits on).
 */
export class TaskInputs {
  readonly #runtime: TaskRuntime;
  readonly #bus: TaskEventBus | undefined;
  readonly #logger: DiagnosticLogger;
  readonly #tasks = new Map<string, WaitingTask>();
  /** Makes keys unique in this process, so a late answer to an earlier round fits no new question. */
  #minted = 0;

  /** Made by `runtime` (its `inputs`), on its event bus when it has one. */
  constructor(runtime: TaskRuntime, bus: TaskEventBus | undefined, logger: DiagnosticLogger) {
    this.#runtime = runtime;
    this.#bus = bus;
    this.#logger = logger;
  }

  /**
   * The client requests of task `taskId`'s handler: each ask waits for {@link deliver}, and
   * rejects with the task's abort (cancel, expiry, shutdown) when `signal` aborts.
   */
  requestsOf(
    owner: string,
    taskId: string,
    base: Pick<ClientRequests, "capabilities" | "missingCapability">,
  ): ClientRequests {
    return {
      capabilities: base.capabilities,
      missingCapability: base.missingCapability,
      request: (method, params, signal, inputKey) =>
        this.#ask(owner, taskId, { method, params }, signal, inputKey),
    };
  }

  /**
   * Answers task `taskId`'s outstanding asks from `responses` (a `tasks/update`): each answer
   * under a key the task waits on resolves that ask; other keys are ignored. When the task waits
   * here, resolves once the record shows what is still outstanding (`working` again when nothing
   * is). When it waits elsewhere (`record`, as the caller read it, is `input_required` with
   * `inputRequests`), the answers to those keys are checked against their questions here and sent
   * over the event bus to the process running it; resolves once they are sent.
   * @throws {InvalidParamsError} `input-responses-invalid` when an answer does not fit its
   * question; then no answer is delivered.
   */
  async deliver(taskId: string, responses: TaskInputResponses, record?: TaskRecord): Promise<void> {
    const task = this.#tasks.get(taskId);
    if (task !== undefined) return this.#answer(taskId, task, responses);
    const asked = record?.status === "input_required" ? record.inputRequests : undefined;
    if (record === undefined || asked === undefined || this.#bus === undefined) return;
    const forwarded: Record<string, Record<string, unknown>> = Object.create(null);
    let count = 0;
    for (const [key, answer] of Object.entries(responses)) {
      const question = Object.hasOwn(asked, key) ? asked[key] : undefined;
      if (question === undefined) continue;
      checkInputResponse(question.method, key, answer);
      forwarded[key] = answer;
      count++;
    }
    if (count === 0) return;
    this.#bus.publish({ type: "input", taskId, owner: record.owner, responses: forwarded });
    await this.#bus.flush();
  }

  /**
   * @internal Answers another process sent over the bus: they resolve the asks of a task of that
   * owner waiting here (checked where the client sent them); for any other task they are ignored.
   */
  receive(event: TaskInputEvent): void {
    const task = this.#tasks.get(event.taskId);
    if (task === undefined || task.owner !== event.owner) return;
    this.#answer(event.taskId, task, event.responses).catch((error: unknown) => {
      this.#logger.error("could not deliver input responses to a task", { taskId: event.taskId, error });
    });
  }

  /** Keys task `taskId` waits on in this process (tests, diagnostics). */
  pending(taskId: string): string[] {
    return [...(this.#tasks.get(taskId)?.asks.keys() ?? [])];
  }

  /** Resolves the asks `responses` answers, after checking every answer (see {@link deliver}). */
  async #answer(taskId: string, task: WaitingTask, responses: TaskInputResponses): Promise<void> {
    const answered: Array<[Waiter, Record<string, unknown>]> = [];
    for (const [key, answer] of Object.entries(responses)) {
      const waiter = task.asks.get(key);
      if (waiter === undefined) continue;
      checkInputResponse(waiter.method, key, answer);
      answered.push([waiter, answer]);
    }
    if (answered.length === 0) return;
    for (const [key] of Object.entries(responses)) task.asks.delete(key);
    // The record is written before the handler goes on (it may ask again: that write follows).
    const written = this.#record(taskId, task);
    for (const [waiter, answer] of answered) waiter.resolve(answer);
    // A task that ended meanwhile keeps its terminal record: nothing to show then.
    await written.catch(() => undefined);
  }

  #ask(
    owner: string,
    taskId: string,
    request: TaskInputRequest,
    signal: AbortSignal,
    inputKey: string | undefined,
  ): Promise<Record<string, unknown>> {
    if (signal.aborted) return Promise.reject(signal.reason);
    let task = this.#tasks.get(taskId);
    if (task === undefined) {
      task = { owner, asks: new Map(), write: Promise.resolve() };
      this.#tasks.set(taskId, task);
    }
    const key = inputKey ?? `${KEY_PREFIX[request.method] ?? "input"}-${++this.#minted}`;
    if (task.asks.has(key)) {
      return Promise.reject(
        new InternalError(
          `Task ${taskId} already waits for an answer under "${key}": give each ask its own inputKey.`,
        ),
      );
    }
    const waiting = task;
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const onAbort = (): void => {
        waiting.asks.delete(key);
        this.#forgetIfIdle(taskId, waiting);
        reject(signal.reason);
      };
      waiting.asks.set(key, {
        ...request,
        resolve: (answer) => {
          signal.removeEventListener("abort", onAbort);
          this.#forgetIfIdle(taskId, waiting);
          resolve(answer);
        },
      });
      signal.addEventListener("abort", onAbort, { once: true });
      // A record that cannot take the ask (the task ended meanwhile) leaves it to the abort.
      this.#record(taskId, waiting).catch(() => undefined);
    });
  }

  /**
   * Writes what task `taskId` waits for now to its record, after any earlier write (so the last
   * write shows the latest state): `input_required` with the outstanding asks, else `working`.
   */
  #record(taskId: string, task: WaitingTask): Promise<unknown> {
    const runtime = this.#runtime;
    const write = task.write.then(() => {
      if (task.asks.size === 0) return runtime.setStatus(task.owner, taskId, "working");
      const inputRequests: Record<string, TaskInputRequest> = {};
      for (const [key, { method, params }] of task.asks) inputRequests[key] = { method, params };
      const methods = [...new Set(Object.values(inputRequests).map((ask) => ask.method))].join(", ");
      return runtime.setStatus(
        task.owner,
        taskId,
        "input_required",
        `Waiting for the client to answer ${methods}.`,
        inputRequests,
      );
    });
    // The chain goes on whatever this write did.
    task.write = write.catch(() => undefined);
    return write;
  }

  /** Drops a task that waits on nothing once its writes are done (a new ask meanwhile keeps it). */
  #forgetIfIdle(taskId: string, task: WaitingTask): void {
    void task.write.then(() => {
      if (task.asks.size === 0 && this.#tasks.get(taskId) === task) this.#tasks.delete(taskId);
    });
  }
}
