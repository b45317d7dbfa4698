/**
 * The spec scenario table (table.ts), run on every transport: each row is a requirement of MCP
 * 2025-11-25, quoted in the row, checked on raw JSON-RPC in-process (a session on the dispatcher
 * every transport uses), over Streamable HTTP (`server.listen()` and `fetch`) and over stdio
 * (`server.stdio()` on in-memory streams). One server per transport; a fresh session per row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastestMCP } from "../../src/index.js";
import { httpTransport } from "./http-wire.js";
import { inProcessTransport } from "./in-process-wire.js";
import { SPEC } from "./scenario.js";
import { scenarioServer } from "./scenario-server.js";
import { stdioTransport } from "./stdio-wire.js";
import { SCENARIOS } from "./table.js";
import type { WireTransport } from "./wire.js";

const TRANSPORTS: ReadonlyArray<[string, (server: FastestMCP) => WireTransport]> = [
  ["in-process", inProcessTransport],
  ["http", httpTransport],
  ["stdio", stdioTransport],
];

describe.each(TRANSPORTS)("spec scenarios over %s", (_name, makeTransport) => {
  const server = scenarioServer();
  const transport = makeTransport(server);
  beforeAll(() => transport.start());
  afterAll(async () => {
    await transport.stop();
    await server.close();
  });

  it.each(SCENARIOS.map((row) => [`${row.feature}: ${row.name}`, row] as const))(
    "%s",
    async (_title, row) => {
      const wire = await transport.open();
      try {
        await row.run(wire);
      } catch (error) {
        // Name the requirement in the failure, so a red row says which sentence of the spec broke.
        throw Object.assign(error as Error, {
          message: `${(error as Error).message}\n  spec: ${SPEC}/${row.spec.page} (${row.spec.section}): ${row.spec.says}`,
        });
      } finally {
        await wire.close();
      }
    },
  );
});

describe("the scenario table", () => {
  it("keys every row to a quoted requirement and names each row once per feature", () => {
    const titles = SCENARIOS.map((row) => `${row.feature}: ${row.name}`);
    expect(new Set(titles).size).toBe(titles.length);
    for (const row of SCENARIOS) {
      expect(row.spec.says.length, row.name).toBeGreaterThan(10);
      expect(row.spec.page, row.name).toMatch(/^((basic|server|client)\/|schema$)/);
    }
  });
});
