type GetBuiltinModule = NodeJS.Process["getBuiltinModule"];

const runtime = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;

/**
 * `process.getBuiltinModule` where the runtime has it (Node >= 20.16, Bun, Deno), else undefined.
 *
 * Node built-ins are looked up with it at the moment a feature needs them (`listen()` needs
 * node:http, the default JSON Schema validator node:module), never imported: an
 * `import … from "node:…"` anywhere in the package would stop Workers and browsers (and their
 * bundlers) from loading even the parts that need no Node. test/architecture.test.ts keeps
 * every entry point free of them.
 */
export const getBuiltinModule: GetBuiltinModule | undefined =
  typeof runtime?.getBuiltinModule === "function" ? runtime.getBuiltinModule.bind(runtime) : undefined;
