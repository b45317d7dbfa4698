import type { ProgressSink, ProgressUpdate } from "../context/progress-sink.js";
import { type DiagnosticLogger, stderrLogger } from "../util/diagnostics.js";
import type { TaskProgress } from "./task-record.js";

/**
 * Persists a task's progress one write at a time. While a write is in flight, newer updates
 * replace each other, so a slow store sees the latest state, never a backlog. `drain()` waits
 * until the latest update is stored (the runtime calls it before the terminal write).
 */
export class TaskProgressWriter implements ProgressSink {
  readonly #write: (progress: TaskProgress) => Promise<void>;
  readonly #logger: DiagnosticLogger;
  #pending: TaskProgress | undefined = undefined;
  #writing: Promise<void> | undefined = undefined;

  /** `logger` hears about failed writes (default: a line on stderr); the task keeps running. */
  constructor(write: (progress: TaskProgress) => Promise<void>, logger: DiagnosticLogger = stderrLogger) {
    this.#write = write;
    this.#logger = logger;
  }

  onProgress(update: ProgressUpdate): void {
    this.#pending = update;
    this.#writing ??= this.#loop();
  }

  /** Resolves once every accepted update is stored. */
  drain(): Promise<void> {
    return this.#writing ?? Promise.resolve();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#pending !== undefined) {
        const next = this.#pending;
        this.#pending = undefined;
        try {
          await this.#write(next);
        } catch (error) {
          this.#logger.error("could not store task progress", { error });
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }
}
