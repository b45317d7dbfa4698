import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../src/fastestmcp.js";
import { HttpHarness } from "./http-harness.js";
import { SseReader } from "./sse-reader.js";

const harnesses: HttpHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

describe("Resource notifications over Streamable HTTP", () => {
  it("delivers notifications/resources/updated on the GET stream after resources/subscribe", async () => {
    let version = 1;
    const server = FastestMCP.server("http-resources").addResource("test://watched", () => `v${version}`, {
      mimeType: "text/plain",
    });
    const h = await HttpHarness.start(server);
    harnesses.push(h);
    await h.initialize();
    const get = new SseReader(await h.openGet());

    const subscribed = await h.post(h.request("resources/subscribe", { uri: "test://watched" }), {
      accept: "application/json",
    });
    expect(await subscribed.json()).toMatchObject({ result: {} });

    version = 2;
    expect(server.notifyResourceUpdated("test://watched")).toBe(1);
    await get.until((events) => events.some((e) => e.data.includes("notifications/resources/updated")));
    expect(get.messages().filter((m) => m.method === "notifications/resources/updated")).toEqual([
      { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } },
    ]);

    const read = await h.post(h.request("resources/read", { uri: "test://watched" }), {
      accept: "application/json",
    });
    expect(await read.json()).toMatchObject({
      result: { contents: [{ uri: "test://watched", mimeType: "text/plain", text: "v2" }] },
    });

    server.addResource("test://added", () => "new");
    await get.until((events) => events.some((e) => e.data.includes("notifications/resources/list_changed")));
    await get.cancel();
  });
});
