import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";

type Message = Record<string, unknown> & { id?: number; event?: string };

/**
 * A child process running store-process.ts on `path` (or another script with the same protocol,
 * e.g. test/redis/redis-process.ts, with its own arguments): commands in, answers and events out.
 */
export class StoreProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #messages: Message[] = [];
  readonly #waiters = new Set<() => void>();
  #nextId = 0;

  constructor(args: string | readonly string[], script = "test/sqlite/store-process.ts") {
    this.child = spawn(process.execPath, ["--import", "tsx", script, ...[args].flat()], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      this.#messages.push(JSON.parse(line) as Message);
      for (const wake of this.#waiters) wake();
    });
    this.child.stderr.on("data", (chunk) => process.stderr.write(chunk));
  }

  /** Resolves with the first message `match` accepts, now or later (rejects if the process exits). */
  next(match: (message: Message) => boolean): Promise<Message> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const found = this.#messages.find(match);
        if (found !== undefined) {
          this.#waiters.delete(look);
          this.child.off("exit", exited);
          resolve(found);
        }
      };
      const exited = () => {
        this.#waiters.delete(look);
        reject(new Error("the store process exited"));
      };
      this.#waiters.add(look);
      this.child.once("exit", exited);
      look();
    });
  }

  /** Sends a command and resolves with its answer's result (rejects with its error). */
  async send(cmd: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.#nextId;
    this.child.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    const answer = await this.next((message) => message.id === id);
    if (answer.error !== undefined) throw new Error(String(answer.error));
    return answer.result as Record<string, unknown>;
  }

  /** `kill -9`, resolved once the process is gone. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }
}
