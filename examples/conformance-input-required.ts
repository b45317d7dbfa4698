/**
 * The conformance server's fixtures for MCP 2026-07-28 `input_required` results (SEP-2322):
 * see examples/conformance-server.ts.
 */
import type { Context, ElicitationSchema, FastestMCP, SampleResult } from "../src/index.js";

const NO_ARGS = { type: "object", properties: {} } as const;

const NAME_FORM: ElicitationSchema = {
  type: "object",
  properties: { name: { type: "string" } },
  required: ["name"],
};
const askName = (ctx: Context, inputKey = "user_name") =>
  ctx.elicit<{ name: string }>("What is your name?", NAME_FORM, { inputKey });
const textOf = (reply: SampleResult) => (reply.content.type === "text" ? reply.content.text : "");

/**
 * Registers the fixtures of the suite's 2026-07-28 `input-required-result-*` scenarios and the
 * `test_streaming_elicitation` tool of `server-stateless`: plain ctx.elicit/ctx.sample/ctx.listRoots
 * handlers (the same calls serve 2025 sessions with requests to the client); the explicit
 * inputKeys are the keys the suite expects.
 */
export function addInputRequiredFixtures(server: FastestMCP): void {
  server
    .addTool(
      "test_input_required_result_elicitation",
      async (_args, ctx) => {
        const answer = await askName(ctx);
        return `Hello, ${answer.action === "accept" ? answer.content.name : "stranger"}!`;
      },
      { description: "Asks the user's name (input_required on 2026-07-28)", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_sampling",
      async (_args, ctx) => {
        const reply = await ctx.sample("What is the capital of France?", {
          maxTokens: 100,
          inputKey: "capital_question",
        });
        return `The model said: ${textOf(reply)}`;
      },
      { description: "Asks the client's model (input_required on 2026-07-28)", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_list_roots",
      async (_args, ctx) => {
        const roots = await ctx.listRoots({ inputKey: "client_roots" });
        return `Roots: ${roots.map((root) => root.uri).join(", ")}`;
      },
      { description: "Asks the client's roots (input_required on 2026-07-28)", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_request_state",
      async (_args, ctx) => {
        // The server checked the echoed requestState's signature before this runs again.
        await ctx.elicit(
          "Please confirm",
          { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
          { inputKey: "confirm" },
        );
        return "state-ok: the requestState checked out";
      },
      { description: "Round-trips a signed requestState", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_multiple_inputs",
      async (_args, ctx) => {
        // Asked in parallel, so they go out in one input_required result.
        const [name, greeting, roots] = await Promise.all([
          askName(ctx),
          ctx.sample("Generate a greeting", { maxTokens: 50, inputKey: "greeting" }),
          ctx.listRoots({ inputKey: "client_roots" }),
        ]);
        return `${textOf(greeting)} ${name.action === "accept" ? name.content.name : ""} (${roots.length} roots)`;
      },
      { description: "Asks for three inputs at once", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_multi_round",
      async (_args, ctx) => {
        const step1 = await ctx.elicit<{ name: string }>("Step 1: What is your name?", NAME_FORM, {
          inputKey: "step1",
        });
        const step2 = await ctx.elicit<{ color: string }>(
          "Step 2: What is your favorite color?",
          { type: "object", properties: { color: { type: "string" } }, required: ["color"] },
          { inputKey: "step2" },
        );
        return `${step1.content?.name ?? "?"} likes ${step2.content?.color ?? "?"}`;
      },
      { description: "Asks twice, one round after the other", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_tampered_state",
      async (_args, ctx) => {
        await askName(ctx);
        return "the requestState checked out";
      },
      { description: "Refuses a tampered requestState", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_input_required_result_capabilities",
      async (_args, ctx) => {
        // Only what the request's clientCapabilities declare may be asked.
        const { sampling, elicitation } = ctx.clientCapabilities;
        await Promise.all([
          sampling === undefined ? undefined : ctx.sample("Say hello", { maxTokens: 20, inputKey: "hello" }),
          elicitation === undefined ? undefined : askName(ctx),
        ]);
        return "every declared input was answered";
      },
      { description: "Asks only for what the client declared", inputSchema: NO_ARGS },
    )
    .addTool(
      "test_streaming_elicitation",
      async (_args, ctx) => {
        await ctx.reportProgress(1, 2, "About to ask");
        const answer = await askName(ctx);
        return `Hello, ${answer.action === "accept" ? answer.content.name : "stranger"}!`;
      },
      { description: "Reports progress, then elicits (no request on the stream)", inputSchema: NO_ARGS },
    )
    .addPrompt(
      "test_input_required_result_prompt",
      async (_args, ctx) => {
        const answer = await ctx.elicit<{ context: string }>(
          "What context should the prompt use?",
          { type: "object", properties: { context: { type: "string" } }, required: ["context"] },
          { inputKey: "user_context" },
        );
        return `Answer with this context in mind: ${answer.content?.context ?? "none"}`;
      },
      { description: "A prompt that asks the user for context first" },
    );
}
