import { expect } from "vitest";
import { errorOf, resultOf, type Scenario } from "../scenario.js";

const PAGE = "server/prompts";

/** Prompts: server/prompts. */
export const promptScenarios: Scenario[] = [
  {
    feature: "prompts",
    name: "initialize declares the prompts capability",
    spec: {
      page: PAGE,
      section: "Capabilities",
      says: "Servers that support prompts **MUST** declare the `prompts` capability during initialization",
    },
    async run(wire) {
      expect(wire.initialized.capabilities).toMatchObject({ prompts: { listChanged: true } });
    },
  },
  {
    feature: "prompts",
    name: "prompts/list describes each prompt with its arguments",
    spec: {
      page: PAGE,
      section: "Listing Prompts / Data Types > Prompt",
      says: "To retrieve available prompts, clients send a `prompts/list` request. … A prompt definition includes: `name` … `description` … `arguments`: Optional list of arguments for customization",
    },
    async run(wire) {
      const { prompts } = resultOf(await wire.request("prompts/list")) as {
        prompts: Array<Record<string, unknown>>;
      };
      expect(prompts).toEqual([
        {
          name: "greet",
          description: "Greets someone.",
          arguments: [
            { name: "name", description: "Who to greet", required: true },
            { name: "style", description: "How" },
          ],
        },
      ]);
    },
  },
  {
    feature: "prompts",
    name: "prompts/get fills the arguments into role-tagged messages",
    spec: {
      page: PAGE,
      section: "Getting a Prompt / Data Types > PromptMessage",
      says: 'To retrieve a specific prompt, clients send a `prompts/get` request. … `role`: Either "user" or "assistant" to indicate the speaker',
    },
    async run(wire) {
      expect(
        resultOf(await wire.request("prompts/get", { name: "greet", arguments: { name: "Ada" } })),
      ).toEqual({
        description: "Greets someone.",
        messages: [{ role: "user", content: { type: "text", text: "Hello Ada!" } }],
      });
      const styled = resultOf(
        await wire.request("prompts/get", { name: "greet", arguments: { name: "Ada", style: "formal" } }),
      );
      expect(styled.messages).toEqual([
        { role: "user", content: { type: "text", text: "Hello Ada (formal)!" } },
      ]);
    },
  },
  {
    feature: "prompts",
    name: "a missing required argument is refused with -32602",
    spec: {
      page: PAGE,
      section: "Error Handling",
      says: "Servers **SHOULD** return standard JSON-RPC errors for common failure cases: … Missing required arguments: `-32602` (Invalid params)",
    },
    async run(wire) {
      const error = errorOf(
        await wire.request("prompts/get", { name: "greet", arguments: { style: "formal" } }),
      );
      expect(error.code).toBe(-32602);
      expect(error.message).toContain("name");
    },
  },
  {
    feature: "prompts",
    name: "an unknown prompt is refused with -32602",
    spec: {
      page: PAGE,
      section: "Error Handling",
      says: "Servers **SHOULD** return standard JSON-RPC errors for common failure cases: Invalid prompt name: `-32602` (Invalid params)",
    },
    async run(wire) {
      expect(errorOf(await wire.request("prompts/get", { name: "no-such-prompt" })).code).toBe(-32602);
    },
  },
];
