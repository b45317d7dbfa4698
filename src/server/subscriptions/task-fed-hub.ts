import type { TaskRuntime } from "../../tasks/task-runtime.js";
import type { SubscriptionHub } from "./subscription-hub.js";

/**
 * `hub`, fed with the task runtime's events while this instance has a `subscriptions/listen`
 * stream open, and not otherwise: a progress listener makes the runtime read each task's record
 * back after every progress write, which a server nobody listens to must not pay (it is most of
 * what 10,000 concurrent tasks cost in memory).
 */
export function taskFedHub(hub: SubscriptionHub, tasks: TaskRuntime): SubscriptionHub {
  let open = 0;
  let stopFeeding: (() => void) | undefined;
  return {
    publish: (event) => hub.publish(event),
    get listenerCount() {
      return hub.listenerCount;
    },
    close: () => hub.close(),
    onClose: (callback) => hub.onClose(callback),
    subscribe(listener) {
      const unsubscribe = hub.subscribe(listener);
      if (open++ === 0) stopFeeding = tasks.on((event) => hub.publish({ type: "task", task: event.task }));
      let done = false;
      return () => {
        if (done) return;
        done = true;
        unsubscribe();
        if (--open === 0) {
          stopFeeding?.();
          stopFeeding = undefined;
        }
      };
    },
  };
}
