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
import { Client, type ClientOptions, type OAuthClientProvider } from "../src/client/index.js";

const url = process.argv.at(-1);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const protocolVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;

/** The URL of this client's metadata document: the suite's authorization servers take it as is. */
const CLIENT_METADATA_URL = "https://conformance-test.local/client-metadata.json";
const REDIRECT_URL = "http://localhost:3000/callback";

/** Scenario data the suite passes in `MCP_CONFORMANCE_CONTEXT` (credentials, keys, an IdP). */
interface ScenarioContext {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  idp_client_id?: string;
  idp_id_token?: string;
  idp_token_endpoint?: string;
  valid_jwt?: string;
  /** http-custom-headers: the calls to make, with their arguments. */
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
}

function scenarioContext(): ScenarioContext {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  return raw === undefined || raw === "" ? {} : (JSON.parse(raw) as ScenarioContext);
}

/**
 * The "browser" of the suite's authorization servers: they redirect at once, with no login page,
 * so the authorization URL's redirect is the answer a user's browser would bring back.
 */
async function followAuthorization(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: "manual" });
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (location === null)
    throw new Error(`the authorization endpoint answered ${response.status}, no redirect`);
  return new URL(location, url);
}

/**
 * Enterprise-managed authorization (SEP-990): the IdP trades its ID token for an ID-JAG (RFC 8693
 * token exchange) naming the authorization server and the resource; the client's jwt-bearer grant
 * presents it.
 */
async function identityAssertion(context: ScenarioContext, issuer: string, resource: string | undefined) {
  const response = await fetch(context.idp_token_endpoint as string, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:ietf:params:oauth:token-type:id-jag",
      audience: issuer,
      resource: resource ?? "",
      subject_token: context.idp_id_token as string,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      client_id: context.idp_client_id as string,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (body.access_token === undefined) throw new Error(`the IdP token exchange failed: ${body.error}`);
  return body.access_token;
}

/** The OAuth provider of an auth/* scenario: what a host would configure for that server. */
function authProvider(): OAuthClientProvider {
  const context = scenarioContext();
  const interactive: OAuthClientProvider = {
    redirectUrl: REDIRECT_URL,
    clientMetadata: { client_name: "fastestmcp-conformance-client" },
    authorize: followAuthorization,
  };
  switch (scenario) {
    case "auth/pre-registration":
      return { ...interactive, clientId: context.client_id, clientSecret: context.client_secret };
    case "auth/client-credentials-basic":
      return {
        grant: "client_credentials",
        clientId: context.client_id,
        clientSecret: context.client_secret,
      };
    case "auth/client-credentials-jwt":
      return {
        grant: "client_credentials",
        clientId: context.client_id,
        privateKey: context.private_key_pem,
        signingAlgorithm: context.signing_algorithm ?? "ES256",
      };
    case "auth/wif-jwt-bearer":
      // A workload identity token the platform gave this workload is the assertion.
      return {
        grant: { type: "jwt-bearer", assertion: async () => context.valid_jwt as string },
        clientId: context.client_id,
      };
    case "auth/cross-app-access-complete-flow":
    case "auth/enterprise-managed-authorization":
      return {
        grant: {
          type: "jwt-bearer",
          assertion: ({ issuer, resource }) => identityAssertion(context, issuer, resource),
        },
        clientId: context.client_id,
        clientSecret: context.client_secret,
      };
    default:
      return { ...interactive, clientMetadataUrl: CLIENT_METADATA_URL };
  }
}

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
    case "sep-2322-client-request-state":
      // input_required rounds (2026-07-28): the client answers with elicitationHandler and
      // retries with the echoed requestState; an unrelated call in between carries none of it.
      await client.listTools();
      await client.callTool("test_mrtr_echo_state", {}, { throwOnError: true });
      await client.callTool("test_mrtr_no_state", {}, { throwOnError: true });
      await client.callTool("test_mrtr_unrelated", {}, { throwOnError: true });
      await client.callTool("test_mrtr_no_result_type", {}, { throwOnError: true });
      return;
    case "http-custom-headers":
      // Mcp-Param-* headers mirror the x-mcp-header arguments the listed tools declare.
      await client.listTools();
      for (const call of scenarioContext().toolCalls ?? []) await client.callTool(call.name, call.arguments);
      return;
    case "json-schema-ref-no-deref":
      // The check is that listing tools fetches no network $ref; the tool itself is not served.
      await client.listTools();
      return;
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
  if (scenario.startsWith("auth/")) options.auth = authProvider();
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
