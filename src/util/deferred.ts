/** A promise with its resolve and reject functions, for results that arrive from elsewhere. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Creates a {@link Deferred}. Its promise never causes an unhandled rejection on its own. */
export function createDeferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting when a task fails; waiters that come later still see the rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
