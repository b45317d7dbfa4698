/**
 * The client that the official MCP conformance suite (`@modelcontextprotocol/conformance`) drives:
 * `npm run conformance:client` runs `conformance client --command "<node> --import tsx
 * examples/conformance-client.ts"` through `scripts/conformance-client.mjs`.
 *
 * The suite starts one scenario server per run, appends its URL as the last argument and names
 * the scenario in `MCP_CONFORMANCE_SCENARIO` (`MCP_CONFORMANCE_CONTEXT` carries scenario data as
 * JSON, `MCP_CONFORMANCE_PROTOCOL_VERSION` the revision to ask for, when the suite sets them). The
 * driver walks our `Client` through the scenario's flow and exits 0; any error exits 1 with the
 * error on stderr, which the suite prints.
 *
 * Run one flow by hand: `MCP_CONFORMANCE_SCENARIO=tools_call node --import tsx
 * examples/conformance-client.ts http://localhost:4100/mcp`.
 */
import { Client, type ClientOptions } from "../src/client/index.js";

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const protocolVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;

/** A JSON Schema property as `elicitation/create` sends it (only what the defaults need). */
interface ElicitProperty {
  default?: unknown;
}

/**
 * Accepts a form with every field the server gave a default for (SEP-1034): what a host shows
 * pre-filled and the user confirms unchanged.
 */
function acceptWithDefaults(params: Record<string, unknown>): Record<string, unknown> {
  const schema = params.requestedSchema as { properties?: Record<string, ElicitProperty> } | undefined;
  const content: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if (property.default !== undefined) content[name] = property.default;
  }
  return { action: "accept", content };
}

/** The scenario's flow after `initialize`: the calls its server waits for. */
async function run(client: Client): Promise<void> {
  switch (scenario) {
    case "initialize":
      return;
    case "tools_call":
      await client.listTools();
      await client.callTool("add_numbers", { a: 5, b: 3 }, { throwOnError: true });
      return;
    case "elicitation-sep1034-client-defaults":
      await client.listTools();
      await client.callTool("test_client_elicitation_defaults", {}, { throwOnError: true });
      return;
    case "sse-retry":
      // The server closes the call's SSE stream after its priming event: the answer arrives only
      // if the client resumes with Last-Event-ID after the `retry` the server asked for.
      await client.listTools();
      await client.callTool("test_reconnection", {}, { throwOnError: true });
      return;
    case "json-schema-2020-12-preservation": {
      // Echo the focal tool's inputSchema back as it arrived: the suite checks that no 2020-12
      // keyword was dropped on the way through the client.
      const { tools } = await client.listTools();
      const focal = tools.find((tool) => tool.name !== "json_schema_echo");
      if (focal === undefined) throw new Error("the server listed no tool besides json_schema_echo");
      await client.callTool("json_schema_echo", { schema: focal.inputSchema }, { throwOnError: true });
      return;
    }
    default: {
      // Scenarios without a specific flow (the auth/* ones) check the handshake and a first call.
      const { tools } = await client.listTools();
      const first = tools[0];
      if (first !== undefined) await client.callTool(first.name, {});
    }
  }
}

async function main(): Promise<void> {
  if (url === undefined || !/^https?:\/\//.test(url)) {
    throw new Error(`expected the scenario server's URL as the last argument, got ${String(url)}`);
  }
  const options: ClientOptions = {
    clientInfo: { name: "fastestmcp-conformance-client", version: "0.1.0" },
    elicitationHandler: acceptWithDefaults,
    timeout: 20_000,
  };
  if (protocolVersion !== undefined && protocolVersion !== "") options.protocolVersion = protocolVersion;
  const client = await Client.connect(url, options);
  try {
    await run(client);
  } finally {
    await client.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `conformance client (${scenario}): ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
