/**
 * `subscriptions/listen` and the resources' access rules (docs/auth.md): a caller hears about a
 * resource only if it may read it. The acknowledgement leaves out the URIs it may not read, as it
 * leaves out unknown ones (the two look the same), and every update is checked again when it
 * happens, so a registration that changes while the stream is open is honoured.
 */
import { describe, expect, it } from "vitest";
import type { AuthInfo } from "../../../src/protocol/auth-info.js";
import { ACK, AUTH, listen, listenServer, type Message } from "./listen-harness.js";

const adaOnly = { canAccess: (auth: AuthInfo | undefined) => auth?.subject === "ada" };

describe("subscriptions/listen: resourceSubscriptions and access rules", () => {
  it("acknowledges only the URIs the caller may read, leaving out forbidden and unknown ones alike", async () => {
    const { server, url } = await listenServer(AUTH);
    server.addResource("test://secret", () => "secret", adaOnly);
    server.addResourceTemplate("test://files/{name}", (_uri, { name }) => `file ${String(name)}`, adaOnly);
    const wanted = ["test://a", "test://secret", "test://files/x", "test://unknown"];
    const bob = await listen(url, { resourceSubscriptions: wanted }, { token: "bob" });
    const ada = await listen(url, { resourceSubscriptions: wanted }, { token: "ada" });
    expect((await bob.next(ACK)).params.notifications).toEqual({ resourceSubscriptions: ["test://a"] });
    expect((await ada.next(ACK)).params.notifications).toEqual({
      resourceSubscriptions: ["test://a", "test://secret", "test://files/x"],
    });
    for (const uri of ["test://secret", "test://files/x", "test://unknown", "test://a"])
      server.notifyResourceUpdated(uri);
    const updated = "notifications/resources/updated";
    await ada.next(updated, (m) => m.params.uri === "test://a");
    await bob.next(updated, (m) => m.params.uri === "test://a");
    // test://a was the last to change: everything either stream would get arrived before it.
    const uris = (messages: Message[]) =>
      messages.filter((m) => m.method === updated).map((m) => m.params.uri);
    expect(uris(ada.messages())).toEqual(["test://secret", "test://files/x", "test://a"]);
    expect(uris(bob.messages())).toEqual(["test://a"]);
    await Promise.all([ada.close(), bob.close()]);
  });

  it("checks every update again: a resource re-registered with a rule that now denies the listener is not reported", async () => {
    const { server, url } = await listenServer(AUTH);
    server.addResource("test://secret", () => "secret", adaOnly);
    const ada = await listen(url, { resourceSubscriptions: ["test://secret", "test://a"] }, { token: "ada" });
    expect((await ada.next(ACK)).params.notifications.resourceSubscriptions).toEqual([
      "test://secret",
      "test://a",
    ]);
    server.removeResource("test://secret");
    server.addResource("test://secret", () => "secret", { canAccess: () => false });
    server.notifyResourceUpdated("test://secret");
    server.notifyResourceUpdated("test://a");
    await ada.next("notifications/resources/updated", (m) => m.params.uri === "test://a");
    expect(
      ada
        .messages()
        .filter((m) => m.method === "notifications/resources/updated" && m.params.uri === "test://secret"),
    ).toEqual([]);
    await ada.close();
  });
});
