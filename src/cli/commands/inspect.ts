import type { Client } from "../../client/index.js";
import type { Prompt, Resource, ResourceTemplate, ToolDefinition } from "../../index.js";
import type { Command } from "../args.js";
import { EXIT } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { connectTarget } from "../target.js";

type InspectCommand = Extract<Command, { name: "inspect" }>;

/** What `inspect` found out about a server. */
export interface Inspection {
  serverInfo: Client["serverInfo"];
  protocolVersion: string | undefined;
  sessionId: string | undefined;
  capabilities: Record<string, unknown>;
  instructions: string | undefined;
  tools: ToolDefinition[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

/** `fastestmcp inspect`: the server's info, protocol version, capabilities and components. */
export async function inspect(command: InspectCommand, io: CliIo): Promise<number> {
  const client = await connectTarget(command.target);
  try {
    const found = await inspection(client);
    io.stdout.write(command.output === "json" ? `${JSON.stringify(found, null, 2)}\n` : describe(found));
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

/** Lists everything the server's capabilities say it has (every page of each list). */
async function inspection(client: Client): Promise<Inspection> {
  const has = (capability: string): boolean => client.serverCapabilities[capability] !== undefined;
  return {
    serverInfo: client.serverInfo,
    protocolVersion: client.protocolVersion,
    sessionId: client.sessionId,
    capabilities: client.serverCapabilities,
    instructions: client.instructions,
    tools: has("tools") ? await all((cursor) => client.listTools({ cursor }), "tools") : [],
    resources: has("resources") ? await all((cursor) => client.listResources({ cursor }), "resources") : [],
    resourceTemplates: has("resources")
      ? await all((cursor) => client.listResourceTemplates({ cursor }), "resourceTemplates")
      : [],
    prompts: has("prompts") ? await all((cursor) => client.listPrompts({ cursor }), "prompts") : [],
  };
}

async function all<K extends string, T>(
  page: (cursor: string | undefined) => Promise<Record<K, T[]> & { nextCursor?: string }>,
  key: K,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...result[key]);
    cursor = result.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/** The human form: sections, one line per component, one line per tool argument. */
function describe(found: Inspection): string {
  const info = found.serverInfo;
  const lines = [
    `server: ${info?.name ?? "?"} ${info?.version ?? ""}${info?.title ? ` (${info.title})` : ""}`.trimEnd(),
    `protocol: ${found.protocolVersion ?? "?"}`,
  ];
  if (found.sessionId !== undefined) lines.push(`session: ${found.sessionId}`);
  lines.push(`capabilities: ${Object.keys(found.capabilities).join(", ") || "none"}`);
  if (found.instructions) lines.push(`instructions: ${found.instructions}`);
  lines.push("", `tools (${found.tools.length}):`);
  for (const tool of found.tools) {
    const task = tool.execution?.taskSupport;
    const flags = task !== undefined && task !== "forbidden" ? ` [task: ${task}]` : "";
    lines.push(`  ${tool.name}${flags}${tool.description ? `: ${tool.description}` : ""}`);
    lines.push(...argumentLines(tool.inputSchema as Record<string, unknown>));
  }
  lines.push("", `resources (${found.resources.length}):`);
  for (const resource of found.resources) {
    lines.push(`  ${resource.uri} ${resource.name}${resource.mimeType ? ` (${resource.mimeType})` : ""}`);
  }
  lines.push("", `resource templates (${found.resourceTemplates.length}):`);
  for (const template of found.resourceTemplates) lines.push(`  ${template.uriTemplate} ${template.name}`);
  lines.push("", `prompts (${found.prompts.length}):`);
  for (const prompt of found.prompts) {
    const args = (prompt.arguments ?? []).map((arg) => (arg.required ? arg.name : `[${arg.name}]`));
    lines.push(`  ${prompt.name}${args.length > 0 ? ` ${args.join(" ")}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `    count: integer (required) = 3  How many steps`. */
function argumentLines(schema: Record<string, unknown> | undefined): string[] {
  const properties = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type.join("|") : String(property.type ?? "any");
    const parts = [`    ${name}: ${type}`];
    if (required.has(name)) parts.push("(required)");
    if (property.default !== undefined) parts.push(`= ${JSON.stringify(property.default)}`);
    if (Array.isArray(property.enum))
      parts.push(`one of ${property.enum.map((v) => JSON.stringify(v)).join(", ")}`);
    if (typeof property.description === "string") parts.push(` ${property.description}`);
    return parts.join(" ");
  });
}
