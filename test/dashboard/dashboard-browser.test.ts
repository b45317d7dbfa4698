/**
 * The dashboard as a person sees it: Debian's Chromium, driven by playwright-core, on a live
 * server. A task's bar advances and reaches 100 %, the Cancel button cancels a task on the
 * server, markup in a message stays text, and a screenshot is written to test-results/.
 * Waits on DOM state and task events only (no sleeps). In the "heavy" vitest project.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { FastestMCP } from "../../src/fastestmcp.js";
import { createDeferred, type Deferred } from "../../src/util/deferred.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-results");
const STEPS = 4;
const HOSTILE = "<img src=x onerror=\"document.title='pwned'\">";

let browser: Browser | undefined;

/** Starts Chromium; a machine without it fails the test with how to install it (never a skip). */
async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  // Root (CI containers) cannot use Chromium's sandbox.
  const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  browser = await chromium.launch({ executablePath: CHROMIUM, args });
  return browser;
}

afterAll(async () => {
  await browser?.close();
});

describe("the dashboard in Chromium", () => {
  it("shows a task's bar advancing to 100 %, cancels a task from its button, and shows messages as text", async () => {
    const gates: Deferred<void>[] = Array.from({ length: STEPS }, () => createDeferred<void>());
    const server = FastestMCP.server("browser-demo")
      .addTool(
        "build",
        async (_args, ctx) => {
          for (let step = 1; step <= STEPS; step++) {
            await gates[step - 1]?.promise;
            await ctx.reportProgress(step, STEPS, `Step ${step} of ${STEPS}`);
            ctx.log.info(`finished step ${step}`);
          }
          return "built";
        },
        { task: true },
      )
      .addTool(
        "hang",
        async (_args, ctx) => {
          await ctx.reportProgress(0, 10, HOSTILE);
          await new Promise((_, reject) =>
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
          );
        },
        { task: true },
      );
    const handle = await server.listen({ dashboard: true, keepAliveMs: 0 });
    const page = await (await launch()).newPage({ viewport: { width: 1000, height: 600 } });
    // Each wait is for an event that comes within a second on a quiet machine; the margin is for
    // two loaded cores shared with Bun, Deno and the CLI suites of this project.
    page.setDefaultTimeout(60_000);
    try {
      const build = await server.callTool("build", {}, { task: true });
      const hang = await server.callTool("hang", {}, { task: true });
      await page.goto(handle.dashboardUrl as string);
      const percent = (taskId: string) =>
        page.locator(`[data-task-id="${taskId}"] .track`).getAttribute("data-percent");
      // Playwright waits until the selector matches: DOM state, not time.
      const shows = (taskId: string, value: string) =>
        page.waitForSelector(`[data-task-id="${taskId}"] .track[data-percent="${value}"]`);

      // The bar follows the task, step by step.
      for (let step = 1; step <= STEPS; step++) {
        gates[step - 1]?.resolve();
        await shows(build.taskId, String((step / STEPS) * 100));
      }
      expect(await percent(build.taskId)).toBe("100");
      await page.waitForSelector(`[data-task-id="${build.taskId}"][data-status="completed"]`);
      const row = page.locator(`[data-task-id="${build.taskId}"]`);
      expect(await row.locator(".amount").textContent()).toBe("100% 4/4");
      expect(await row.locator(".logs li").last().textContent()).toContain("info: finished step 4");
      expect(await row.locator(".cancel").isHidden()).toBe(true);

      // The markup in the hanging task's message is shown as text: no element came of it.
      const hangRow = page.locator(`[data-task-id="${hang.taskId}"]`);
      await page.waitForSelector(`[data-task-id="${hang.taskId}"] .amount:text-is("0% 0/10")`);
      expect(await hangRow.locator(".message").textContent()).toBe(HOSTILE);
      expect(await page.locator("img").count()).toBe(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });

      // Cancel from the button: the server has the task cancelled, and the page says so.
      const cancelled = createDeferred<void>();
      server.onTaskEvent((event) => {
        if (event.task.taskId === hang.taskId && event.task.status === "cancelled") cancelled.resolve();
      });
      await hangRow.locator(".cancel").click();
      await cancelled.promise;
      expect((await server.fetchTask(hang)).status).toBe("cancelled");
      await page.waitForSelector(
        `[data-task-id="${hang.taskId}"][data-status="cancelled"] .status:text-is("cancelled")`,
      );
      expect(await page.title()).toBe("browser-demo tasks");
    } finally {
      await page.close();
      await handle.close();
      await server.close();
    }
  }, 120_000);
});
