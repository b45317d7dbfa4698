import { expect } from "vitest";
import { errorOf, resultOf, type Scenario, toolResult } from "../scenario.js";
import type { Wire } from "../wire.js";

const PAGE = "server/resources";

/** Asks the server to announce a change to `uri` (as an application would on a real change). */
const change = (wire: Wire, uri: string) => toolResult(wire, "notify-updated", { uri });

const updatesOf = (wire: Wire, uri: string) =>
  wire.log.notifications("notifications/resources/updated").filter((m) => m.params?.uri === uri);

/** Resources: server/resources. */
export const resourceScenarios: Scenario[] = [
  {
    feature: "resources",
    name: "initialize declares the resources capability, with subscribe and listChanged",
    spec: {
      page: PAGE,
      section: "Capabilities",
      says: "Servers that support resources **MUST** declare the `resources` capability",
    },
    async run(wire) {
      expect(wire.initialized.capabilities).toMatchObject({
        resources: { subscribe: true, listChanged: true },
      });
    },
  },
  {
    feature: "resources",
    name: "resources/list describes each resource by uri, name and mimeType",
    spec: {
      page: PAGE,
      section: "Listing Resources / Data Types > Resource",
      says: "To discover available resources, clients send a `resources/list` request. … A resource definition includes: `uri` … `name` … `mimeType`: Optional MIME type",
    },
    async run(wire) {
      const { resources } = resultOf(await wire.request("resources/list")) as {
        resources: Array<Record<string, unknown>>;
      };
      expect(resources).toEqual(
        expect.arrayContaining([
          { uri: "scenario://readme", name: "readme", mimeType: "text/markdown" },
          { uri: "scenario://logo", name: "logo", mimeType: "image/png" },
        ]),
      );
    },
  },
  {
    feature: "resources",
    name: "resources/read returns text contents with uri and mimeType",
    spec: {
      page: PAGE,
      section: "Reading Resources / Resource Contents > Text Content",
      says: "To retrieve resource contents, clients send a `resources/read` request (contents: `uri`, `mimeType`, `text`)",
    },
    async run(wire) {
      expect(resultOf(await wire.request("resources/read", { uri: "scenario://readme" }))).toEqual({
        contents: [{ uri: "scenario://readme", mimeType: "text/markdown", text: "# Scenario server" }],
      });
    },
  },
  {
    feature: "resources",
    name: "binary contents are base64 in blob",
    spec: {
      page: PAGE,
      section: "Security Considerations / Resource Contents > Binary Content",
      says: "Binary data **MUST** be properly encoded (`blob`: base64-encoded-data)",
    },
    async run(wire) {
      const { contents } = resultOf(await wire.request("resources/read", { uri: "scenario://logo" })) as {
        contents: Array<Record<string, unknown>>;
      };
      expect(contents).toEqual([{ uri: "scenario://logo", mimeType: "image/png", blob: "iVBORw==" }]);
      expect([...Buffer.from(String(contents[0]?.blob), "base64")]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    },
  },
  {
    feature: "resources",
    name: "resources/templates/list lists the URI templates",
    spec: {
      page: PAGE,
      section: "Resource Templates",
      says: "Resource templates allow servers to expose parameterized resources using URI templates.",
    },
    async run(wire) {
      const { resourceTemplates } = resultOf(await wire.request("resources/templates/list")) as {
        resourceTemplates: Array<Record<string, unknown>>;
      };
      expect(resourceTemplates).toEqual(
        expect.arrayContaining([
          { uriTemplate: "scenario://items/{id}", name: "item", mimeType: "text/plain" },
        ]),
      );
    },
  },
  {
    feature: "resources",
    name: "a URI matching a template is read with the template's variables",
    spec: {
      page: PAGE,
      section: "Resource Templates",
      says: "Resource templates allow servers to expose parameterized resources using URI templates. Arguments may be auto-completed",
    },
    async run(wire) {
      expect(resultOf(await wire.request("resources/read", { uri: "scenario://items/a%20b" }))).toEqual({
        contents: [{ uri: "scenario://items/a%20b", mimeType: "text/plain", text: "Item a b" }],
      });
    },
  },
  {
    feature: "resources",
    name: "an unknown resource is error -32002 with the uri in data",
    spec: {
      page: PAGE,
      section: "Error Handling",
      says: "Servers **SHOULD** return standard JSON-RPC errors for common failure cases: Resource not found: `-32002`",
    },
    async run(wire) {
      for (const uri of ["scenario://nothing-here", "scenario://items/missing"]) {
        const error = errorOf(await wire.request("resources/read", { uri }));
        expect(error.code, uri).toBe(-32002);
        expect(error.data, uri).toMatchObject({ uri });
      }
    },
  },
  {
    feature: "resources",
    name: "a URI that is not one, or a uri of the wrong type, is refused with a JSON-RPC error",
    spec: {
      page: PAGE,
      section: "Security Considerations",
      says: "Servers **MUST** validate all resource URIs",
    },
    async run(wire) {
      for (const uri of ["not a uri", "scenario://items/", 42]) {
        const error = errorOf(await wire.request("resources/read", { uri }));
        expect([-32002, -32602], String(uri)).toContain(error.code);
      }
    },
  },
  {
    feature: "resources",
    name: "a subscribed resource's change arrives as notifications/resources/updated",
    spec: {
      page: PAGE,
      section: "Subscriptions",
      says: "The protocol supports optional subscriptions to resource changes. Clients can subscribe to specific resources and receive notifications when they change",
    },
    async run(wire) {
      const uri = `scenario://watch/${wire.key("subscribed")}`;
      expect(resultOf(await wire.request("resources/subscribe", { uri }))).toEqual({});
      await change(wire, uri);
      expect(
        await wire.log.waitFor(
          (m) => m.method === "notifications/resources/updated" && m.params?.uri === uri,
        ),
      ).toEqual({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri } });
    },
  },
  {
    feature: "resources",
    name: "after resources/unsubscribe, changes are no longer announced",
    spec: {
      page: "schema",
      section: "resources/unsubscribe > UnsubscribeRequest",
      says: "Sent from the client to request cancellation of resources/updated notifications from the server.",
    },
    async run(wire) {
      const uri = `scenario://watch/${wire.key("unsubscribed")}`;
      resultOf(await wire.request("resources/subscribe", { uri }));
      await change(wire, uri);
      await wire.barrier();
      expect(updatesOf(wire, uri)).toHaveLength(1);
      expect(resultOf(await wire.request("resources/unsubscribe", { uri }))).toEqual({});
      await change(wire, uri);
      await wire.barrier();
      expect(updatesOf(wire, uri)).toHaveLength(1);
    },
  },
];
