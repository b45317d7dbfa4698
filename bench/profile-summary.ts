/**
 * Summarizes V8 `.cpuprofile` files (from `npm run bench -- --profile`): the top functions by self
 * time, overall and within the project's src/, each with its total (inclusive) time. Directories
 * are searched recursively; only main-thread profiles are read (not tsx's loader-hooks worker).
 * Usage: `npx tsx bench/profile-summary.ts <file-or-dir>... [--top 25]`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  key: string;
  selfUs: number;
  totalUs: number;
}

const SRC = "/src/";

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "node_modules/");
  const at = file.indexOf(SRC);
  const short = at === -1 ? file : file.slice(at + 1);
  // Lines of src/ files are those of tsx's transformed output, not the source: leave them out.
  const line = url === "" || at !== -1 ? "" : `:${lineNumber + 1}`;
  return `${short || "(native)"}:${functionName || "(anonymous)"}${line}`;
}

function summarize(profile: Profile): { rows: Row[]; totalUs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const rows = new Map<string, Row>();
  const row = (key: string): Row => {
    const found = rows.get(key);
    if (found !== undefined) return found;
    const created = { key, selfUs: 0, totalUs: 0 };
    rows.set(key, created);
    return created;
  };
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    totalUs += delta;
    row(keyOf(node)).selfUs += delta;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = keyOf(byId.get(at) as ProfileNode);
      if (seen.has(key)) continue;
      seen.add(key);
      row(key).totalUs += delta;
    }
  });
  return { rows: [...rows.values()], totalUs };
}

function print(title: string, rows: Row[], totalUs: number, top: number): void {
  const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n${title}\n   self   total  function`);
  for (const row of rows.sort((a, b) => b.selfUs - a.selfUs).slice(0, top)) {
    console.log(`${pct(row.selfUs)} ${pct(row.totalUs)}  ${row.key}`);
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" } },
});
/** `.cpuprofile` files under a path (recursively), main threads only (thread id 0 in Node's file name). */
function profilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      if (statSync(child).isDirectory()) return profilesUnder(child);
      return name.endsWith(".cpuprofile") && !/\.[1-9]\d*\.\d+\.cpuprofile$/.test(name) ? [child] : [];
    });
}

const files = positionals.flatMap(profilesUnder);
if (files.length === 0) {
  console.error("Usage: npx tsx bench/profile-summary.ts <file-or-dir>... [--top 25]");
  process.exitCode = 2;
}
for (const file of files) {
  const { rows, totalUs } = summarize(JSON.parse(readFileSync(file, "utf8")) as Profile);
  const busy = rows.filter((row) => row.key !== "(native):(idle)");
  const busyUs = busy.reduce((sum, row) => sum + row.selfUs, 0);
  console.log(
    `\n## ${file}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms busy`,
  );
  print("Top self time (all code, % of busy time)", busy, busyUs, Number(values.top));
  print(
    "Top self time in src/ (% of busy time)",
    busy.filter((row) => row.key.startsWith("src/")),
    busyUs,
    Number(values.top),
  );
}
