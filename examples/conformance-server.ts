/**
 * The server that the official MCP conformance suite (`@modelcontextprotocol/conformance`) runs
 * against: `npm run conformance` starts it through `scripts/conformance.mjs`.
 *
 * Run it alone with `PORT=4100 node --import tsx examples/conformance-server.ts`. stdout carries one
 * line, the endpoint URL (the runner reads it); everything else goes to stderr. Tool names and
 * results are the suite's fixtures: change them only together with the suite's version.
 *
 * Not registered yet (their scenarios are in the `conformance/` baselines): `test_sampling`,
 * `test_elicitation`, `test_elicitation_sep1034_defaults`, `test_elicitation_sep1330_enums`
 * (server-to-client requests).
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  embeddedResource,
  FastestMCP,
  imageContent,
  type JsonSchemaObject,
  ToolError,
  textContent,
} from "../src/index.js";
import { addInputRequiredFixtures } from "./conformance-input-required.js";
import { addSubscriptionFixtures } from "./conformance-subscriptions.js";
import { addTasksExtensionFixtures } from "./conformance-tasks-extension.js";

/** A 1×1 PNG, as the suite expects it. */
const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
/** A minimal WAV file, as the suite expects it. */
const WAV_MINIMAL = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
/** Pause between the steps of the logging and progress tools, as the suite describes them. */
const STEP_MS = 50;

const NO_ARGS: JsonSchemaObject = { type: "object", properties: {} };

const server = FastestMCP.server("mcp-conformance-test-server", {
  version: "1.0.0",
  // Every progress report must reach the client: the suite counts the notifications.
  progressIntervalMs: 0,
})
  .addTool("test_simple_text", () => "This is a simple text response for testing.", {
    description: "Tests simple text content response",
    inputSchema: NO_ARGS,
  })
  .addTool(
    "test_image_content",
    () => ({ content: [{ type: "image", data: PNG_1PX, mimeType: "image/png" }] }),
    {
      description: "Tests image content response",
      inputSchema: NO_ARGS,
    },
  )
  .addTool(
    "test_audio_content",
    () => ({ content: [{ type: "audio", data: WAV_MINIMAL, mimeType: "audio/wav" }] }),
    { description: "Tests audio content response", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_embedded_resource",
    () => ({
      content: [
        {
          type: "resource",
          resource: {
            uri: "test://embedded-resource",
            mimeType: "text/plain",
            text: "This is an embedded resource content.",
          },
        },
      ],
    }),
    { description: "Tests embedded resource content response", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_multiple_content_types",
    () => ({
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: PNG_1PX, mimeType: "image/png" },
        {
          type: "resource",
          resource: {
            uri: "test://mixed-content-resource",
            mimeType: "application/json",
            text: JSON.stringify({ test: "data", value: 123 }),
          },
        },
      ],
    }),
    {
      description: "Tests response with multiple content types (text, image, resource)",
      inputSchema: NO_ARGS,
    },
  )
  .addTool(
    "test_tool_with_logging",
    async (_args, ctx) => {
      ctx.log.info("Tool execution started");
      await sleep(STEP_MS, undefined, { signal: ctx.signal });
      ctx.log.info("Tool processing data");
      await sleep(STEP_MS, undefined, { signal: ctx.signal });
      ctx.log.info("Tool execution completed");
      return "Tool with logging executed successfully";
    },
    { description: "Tests tool that emits log messages during execution", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_error_handling",
    () => {
      throw new ToolError("This tool intentionally returns an error for testing");
    },
    { description: "Tests error response handling", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_tool_with_progress",
    async (_args, ctx) => {
      // Context does not expose the progress token, so the result is a fixed text (the suite only records it).
      await ctx.reportProgress(0, 100, "Completed step 0 of 100");
      await sleep(STEP_MS, undefined, { signal: ctx.signal });
      await ctx.reportProgress(50, 100, "Completed step 50 of 100");
      await sleep(STEP_MS, undefined, { signal: ctx.signal });
      await ctx.reportProgress(100, 100, "Completed step 100 of 100");
      return "Progress test completed";
    },
    { description: "Tests tool that reports progress notifications", inputSchema: NO_ARGS },
  )
  // For the pending scenario json-schema-2020-12 (SEP-1613): the listing must keep these keywords.
  .addTool("json_schema_2020_12_tool", (args) => ({ received: args }), {
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: {
        address: {
          $anchor: "addressDef",
          type: "object",
          properties: { street: { type: "string" }, city: { type: "string" } },
        },
      },
      properties: {
        name: { type: "string" },
        address: { $ref: "#/$defs/address" },
        contactMethod: { type: "string", enum: ["phone", "email"] },
        phone: { type: "string" },
        email: { type: "string" },
      },
      // SEP-2106 (suite 0.2): composition and conditional keywords must survive the listing too.
      allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
      if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, never awaited.
      then: { required: ["phone"] },
      else: { required: ["email"] },
      additionalProperties: false,
    },
  })
  // 2026-07-28 http-custom-header-server-validation (SEP-2243): `region` travels in Mcp-Param-Region too.
  .addTool(
    "test_header_param",
    ({ region, priority }) => `Region ${String(region)}, priority ${String(priority)}`,
    {
      description: "Routes on its region: x-mcp-header parameters",
      inputSchema: {
        type: "object",
        properties: {
          region: { type: "string", "x-mcp-header": "Region" },
          priority: { type: "integer", "x-mcp-header": "Priority" },
        },
        required: ["region"],
      },
    },
  );

// Requests to the client: the suite's sampling and elicitation scenarios.
server
  // 2026-07-28 (server-stateless): a request whose _meta does not declare "sampling" gets -32021.
  .addTool(
    "test_missing_capability",
    async (_args, ctx) => {
      await ctx.sample([{ role: "user", content: { type: "text", text: "ping" } }], { maxTokens: 10 });
      return "sampled";
    },
    { description: "Needs the client's sampling capability", inputSchema: NO_ARGS },
  )
  // 2026-07-28 (server-stateless): logs that must not reach a request without a _meta log level.
  .addTool(
    "test_logging_tool",
    (_args, ctx) => {
      ctx.log.info("Tool execution started");
      ctx.log.info("Tool execution completed");
      return "Tool with logging executed successfully";
    },
    { description: "Logs at info level", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_sampling",
    async ({ prompt }, ctx) => {
      const reply = await ctx.sample([{ role: "user", content: { type: "text", text: String(prompt) } }], {
        maxTokens: 100,
      });
      return `LLM response: ${reply.content.type === "text" ? reply.content.text : JSON.stringify(reply.content)}`;
    },
    {
      description: "Tests server-initiated sampling (LLM completion request)",
      inputSchema: { type: "object", properties: { prompt: { type: "string" } }, required: ["prompt"] },
    },
  )
  .addTool(
    "test_elicitation",
    async ({ message }, ctx) => {
      const answer = await ctx.elicit(String(message), {
        type: "object",
        properties: {
          username: { type: "string", description: "User's response" },
          email: { type: "string", description: "User's email address" },
        },
        required: ["username", "email"],
      });
      return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },
    {
      description: "Tests server-initiated elicitation (user input request)",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    },
  )
  .addTool(
    "test_elicitation_sep1034_defaults",
    async (_args, ctx) => {
      const answer = await ctx.elicit("Please review and update the form fields with defaults", {
        type: "object",
        properties: {
          name: { type: "string", description: "User name", default: "John Doe" },
          age: { type: "integer", description: "User age", default: 30 },
          score: { type: "number", description: "User score", default: 95.5 },
          status: {
            type: "string",
            description: "User status",
            enum: ["active", "inactive", "pending"],
            default: "active",
          },
          verified: { type: "boolean", description: "Verification status", default: true },
        },
      });
      return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },
    { description: "Tests elicitation with default values (SEP-1034)", inputSchema: NO_ARGS },
  )
  .addTool(
    "test_elicitation_sep1330_enums",
    async (_args, ctx) => {
      const answer = await ctx.elicit("Please select options from the enum fields", {
        type: "object",
        properties: {
          untitledSingle: {
            type: "string",
            description: "Select one option",
            enum: ["option1", "option2", "option3"],
          },
          titledSingle: {
            type: "string",
            description: "Select one option with titles",
            oneOf: [
              { const: "value1", title: "First Option" },
              { const: "value2", title: "Second Option" },
              { const: "value3", title: "Third Option" },
            ],
          },
          legacyEnum: {
            type: "string",
            description: "Select one option (legacy)",
            enum: ["opt1", "opt2", "opt3"],
            enumNames: ["Option One", "Option Two", "Option Three"],
          },
          untitledMulti: {
            type: "array",
            description: "Select multiple options",
            items: { type: "string", enum: ["option1", "option2", "option3"] },
          },
          titledMulti: {
            type: "array",
            description: "Select multiple options with titles",
            items: {
              anyOf: [
                { const: "value1", title: "First Choice" },
                { const: "value2", title: "Second Choice" },
                { const: "value3", title: "Third Choice" },
              ],
            },
          },
        },
      });
      return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
    },
    { description: "Tests elicitation with enum schema variants (SEP-1330)", inputSchema: NO_ARGS },
  );

// 2026-07-28 input_required results (SEP-2322): input-required-result-*, server-stateless.
addInputRequiredFixtures(server);
// The tasks extension (SEP-2663) on 2026-07-28: tasks-*.
addTasksExtensionFixtures(server);
// subscriptions/listen (SEP-2575) on 2026-07-28: server-stateless's list-change checks.
addSubscriptionFixtures(server);

// Resources, prompts and completion: the suite's fixtures (resources-*, prompts-*, completion-complete).
server
  .addResource("test://static-text", () => "This is the content of the static text resource.", {
    name: "Static Text Resource",
    description: "A static text resource for testing",
    mimeType: "text/plain",
  })
  .addResource("test://static-binary", () => Buffer.from(PNG_1PX, "base64"), {
    name: "Static Binary Resource",
    description: "A static binary resource (image) for testing",
    mimeType: "image/png",
  })
  .addResource("test://watched-resource", () => "Watched resource content", {
    name: "Watched Resource",
    description: "A resource for subscription testing",
    mimeType: "text/plain",
  })
  .addResourceTemplate(
    "test://template/{id}/data",
    (_uri, { id }) => JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
    {
      name: "Template Resource",
      description: "A resource template with parameter substitution",
      mimeType: "application/json",
    },
  )
  .addPrompt("test_simple_prompt", () => "This is a simple prompt for testing.", {
    description: "A simple prompt without arguments",
  })
  .addPrompt(
    "test_prompt_with_arguments",
    ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
    {
      description: "A prompt with required arguments",
      arguments: [
        { name: "arg1", description: "First test argument", required: true },
        { name: "arg2", description: "Second test argument", required: true },
      ],
      complete: { arg1: ["test", "testValue1", "test-argument"], arg2: ["testValue2"] },
    },
  )
  .addPrompt(
    "test_prompt_with_embedded_resource",
    ({ resourceUri }) => [
      {
        role: "user",
        content: embeddedResource(
          resourceUri ?? "test://example-resource",
          "Embedded resource content for testing.",
          "text/plain",
        ),
      },
      { role: "user", content: textContent("Please process the embedded resource above.") },
    ],
    {
      description: "A prompt that includes an embedded resource",
      arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
    },
  )
  .addPrompt(
    "test_prompt_with_image",
    () => [
      { role: "user", content: imageContent(PNG_1PX, "image/png") },
      { role: "user", content: textContent("Please analyze the image above.") },
    ],
    { description: "A prompt that includes image content" },
  );

const handle = await server.listen({ port: Number(process.env.PORT ?? 0) });
console.log(handle.url);
process.stderr.write(`mcp-conformance-test-server: listening on ${handle.url}\n`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`mcp-conformance-test-server: ${signal}, closing\n`);
  try {
    await handle.close();
    await server.close();
  } catch (error) {
    process.stderr.write(`mcp-conformance-test-server: close failed: ${String(error)}\n`);
    process.exitCode = 1;
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stop(signal));
}
