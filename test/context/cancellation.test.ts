import { describe, expect, it } from "vitest";
import { Cancellation } from "../../src/context/cancellation.js";
import { abortControllersBuiltBy } from "../abort-controllers.js";

describe("Cancellation", () => {
  it("answers aborted/reason without a signal, and builds an aborted one after abort", () => {
    const lazy = new Cancellation();
    expect(lazy.aborted).toBe(false);
    expect(lazy.reason).toBeUndefined();
    const reason = new Error("stop");
    lazy.abort(reason);
    expect(lazy.aborted).toBe(true);
    expect(lazy.reason).toBe(reason);
    expect(lazy.signal.aborted).toBe(true);
    expect(lazy.signal.reason).toBe(reason);
  });

  it("aborts a signal handed out before, firing its listeners once", () => {
    const lazy = new Cancellation();
    const signal = lazy.signal;
    expect(lazy.signal).toBe(signal);
    let fired = 0;
    signal.addEventListener("abort", () => fired++);
    lazy.abort("first");
    lazy.abort("second");
    expect(fired).toBe(1);
    expect(signal.reason).toBe("first");
  });

  it("calls back its first listener without building a signal, after the signal's listeners", async () => {
    const order: string[] = [];
    const cancel = new Cancellation();
    const built = await abortControllersBuiltBy(() => {
      cancel.onAbort(() => order.push("slot"));
      cancel.offAbort(() => undefined);
    });
    expect(built).toBe(0);
    cancel.signal.addEventListener("abort", () => order.push("signal"));
    cancel.onAbort(() => order.push("second"));
    cancel.abort("why");
    cancel.abort("again");
    expect(order).toEqual(["signal", "second", "slot"]);
    // Once aborted, a new listener is called at once.
    cancel.onAbort(() => order.push("late"));
    expect(order.at(-1)).toBe("late");
  });

  it("detaches listeners with offAbort", () => {
    const cancel = new Cancellation();
    let fired = 0;
    const first = () => fired++;
    const second = () => fired++;
    cancel.onAbort(first);
    cancel.onAbort(second);
    cancel.offAbort(first);
    cancel.offAbort(second);
    cancel.abort();
    expect(fired).toBe(0);
  });

  it("races a promise: its value when it settles first, the cancellation error when abort comes first", async () => {
    const settled = new Cancellation();
    await expect(settled.race(Promise.resolve(1), () => new Error("no"))).resolves.toBe(1);
    await expect(settled.race(Promise.reject(new Error("own")), () => "no")).rejects.toThrow("own");

    const aborted = new Cancellation();
    let resolveLate: ((value: number) => void) | undefined;
    // A handler that settles when its signal aborts does not win: the rejection comes first.
    const pending = new Promise<number>((resolve) => {
      resolveLate = resolve;
      aborted.signal.addEventListener("abort", () => resolve(2));
    });
    const raced = aborted.race(pending, (reason) => new Error(`cancelled: ${String(reason)}`));
    aborted.abort("user");
    resolveLate?.(3);
    await expect(raced).rejects.toThrow("cancelled: user");

    const before = new Cancellation();
    before.abort("early");
    await expect(before.race(new Promise(() => undefined), (reason) => reason)).rejects.toBe("early");
  });
});
