import type { TemplateExpression, TemplateOperator, TemplatePart } from "./uri-template-syntax.js";

/**
 * Where each expression of a template starts and ends in a URI, found in time linear in the URI's
 * length. A regular expression finds the same spans but backtracks through every way adjacent
 * expressions can split a URI that does not match: with `{a}{b}{c}{d}x` a 500-character URI took
 * 38 s of one event loop, a denial of service for any server with such a template. Here each
 * part's reachable ends are computed once, from the last part back to the first; then the spans
 * are picked left to right, each expression taking the longest value after which the rest still
 * matches: the same spans a greedy, left-to-right regex match gives.
 */
export type UriScanner = (uri: string) => Array<string | undefined> | undefined;

type UnnamedOperator = Exclude<TemplateOperator, ";" | "?" | "&">;

// Characters a value may not contain, by operator: expansion percent-encodes "/", "?" and "#";
// reserved expansion ("+") keeps "/" but a raw "?" or "#" starts the query or fragment; a
// fragment ("#") runs to the end.
const VALUE_STOP: Readonly<Record<UnnamedOperator, string>> = {
  "": "/?#",
  "+": "?#",
  "#": "#",
  ".": "/?#",
  "/": "/?#",
};
// A list's items and separators together (for "/" the separator "/" joins path segments).
const LIST_STOP: Readonly<Record<UnnamedOperator, string>> = {
  "": "/?#",
  "+": "?#",
  "#": "#",
  ".": "/?#",
  "/": "?#",
};
// The value of a `name=value` pair: path parameters stop at the path's delimiters, query
// parameters at "&" and the fragment.
const NAMED_STOP: Readonly<Record<string, string>> = { ";": "/?#;", "?": "#&", "&": "#&" };

/**
 * The longest end in `[from, to]` after which the rest of the template matches: `reach[e]` is the
 * largest such end at or before `e` (or -1), so one lookup answers.
 */
function longest(reach: Int32Array, from: number, to: number): number {
  if (to < from) return -1;
  const end = reach[to] as number;
  return end >= from ? end : -1;
}

/** One part, ready for one URI: the end it takes when started at `at`, given what the rest can reach; -1 when none. */
type Span = (at: number, reach: Int32Array) => number;
/** One part, compiled: prepares its {@link Span} for a URI (tables of where runs of characters end). */
type Part = (uri: string) => Span;

/** Compiles `parts` to a scanner that returns each expression's raw text (`undefined`: absent). */
export function compileScanner(parts: readonly TemplatePart[]): UriScanner {
  const compiled: Part[] = [];
  const optional: boolean[] = [];
  const skip: number[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      compiled.push((uri) => (at, reach) => {
        const end = at + part.length;
        return uri.startsWith(part, at) && reach[end] === end ? end : -1;
      });
      continue;
    }
    compiled.push(part.rule.named ? namedPart(part) : unnamedPart(part));
    optional.push(part.rule.first !== "");
    skip.push(part.rule.first.length);
  }
  const expressionAt = parts.map((part) => typeof part !== "string");
  return (uri) => {
    const n = uri.length;
    const spans = compiled.map((part) => part(uri));
    // reaches[j][e]: the largest end at or before e from which parts j… match the rest of the URI.
    const reaches: Int32Array[] = new Array(spans.length + 1);
    let next = new Int32Array(n + 1).fill(-1);
    next[n] = n;
    reaches[spans.length] = next;
    for (let j = spans.length - 1; j >= 0; j--) {
      const span = spans[j] as Span;
      const reach = new Int32Array(n + 1);
      let last = -1;
      for (let at = 0; at <= n; at++) {
        if (span(at, next) !== -1) last = at;
        reach[at] = last;
      }
      reaches[j] = next = reach;
    }
    if (next[0] !== 0) return undefined;
    const captures: Array<string | undefined> = [];
    let at = 0;
    let expression = 0;
    for (let j = 0; j < spans.length; j++) {
      const end = (spans[j] as Span)(at, reaches[j + 1] as Int32Array);
      if (expressionAt[j]) {
        const absent = optional[expression] === true && end === at;
        captures.push(absent ? undefined : uri.slice(at + (skip[expression] as number), end));
        expression++;
      }
      at = end;
    }
    return captures;
  };
}

/** `ends[i]`: where the run of characters not in `stop` that starts at `i` ends. */
function runEnds(uri: string, stop: string): Int32Array {
  const ends = new Int32Array(uri.length + 1);
  ends[uri.length] = uri.length;
  for (let i = uri.length - 1; i >= 0; i--)
    ends[i] = stop.includes(uri[i] as string) ? i : (ends[i + 1] as number);
  return ends;
}

/** `{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}` and their lists. */
function unnamedPart({ operator, rule, specs }: TemplateExpression): Part {
  const op = operator as UnnamedOperator;
  const single = specs.length === 1 && !(specs[0] as { explode: boolean }).explode;
  const stop = single ? VALUE_STOP[op] : LIST_STOP[op];
  const valueStop = VALUE_STOP[op];
  // A list of k variables holds at most k - 1 separators; an exploded one any number.
  const maxSeps = single || specs.some((spec) => spec.explode) ? -1 : specs.length - 1;
  const { first, sep } = rule;
  return (uri) => {
    const ends = runEnds(uri, stop);
    const seps = maxSeps === -1 ? undefined : runEnds(uri, sep);
    // Where a value or list started at `from` must stop: its run's end, or its (maxSeps + 1)th separator.
    const runEnd = (from: number): number => {
      const end = ends[from] as number;
      if (seps === undefined) return end;
      let at = from;
      for (let k = 0; k <= maxSeps && at < end; k++)
        at = k === maxSeps ? (seps[at] as number) : (seps[at] as number) + 1;
      return Math.min(at, end);
    };
    if (first === "") {
      // "" and "+" have no leading character to tell an absent expression from an empty one: a
      // single value takes at least one character, a list starts with one a value may hold.
      return (at, reach) => {
        if (at >= uri.length || valueStop.includes(uri[at] as string)) return -1;
        return longest(reach, single ? at + 1 : at, runEnd(at));
      };
    }
    return (at, reach) => {
      if (uri.startsWith(first, at)) {
        const from = at + first.length;
        const end = longest(reach, from, runEnd(from));
        if (end !== -1) return end;
      }
      return reach[at] === at ? at : -1;
    };
  };
}

/** `{;x,y}`, `{?x,y}`, `{&x,y}`: `name=value` pairs of the expression's own names, in any order. */
function namedPart({ operator, rule, specs }: TemplateExpression): Part {
  const names = [...new Set(specs.map((spec) => spec.name))];
  const stop = NAMED_STOP[operator] as string;
  const { first, sep } = rule;
  return (uri) => {
    const valueEnds = runEnds(uri, stop);
    // One pair at `pair`: the longest end it offers (-1: none) and where the next pair starts (-1: none).
    const pairAt = (pair: number, reach: Int32Array): [number, number] => {
      let best = -1;
      let next = -1;
      for (const name of names) {
        if (!uri.startsWith(name, pair)) continue;
        const afterName = pair + name.length;
        let end = afterName;
        if (reach[afterName] === afterName) best = Math.max(best, afterName);
        if (uri[afterName] === "=") {
          end = valueEnds[afterName + 1] as number;
          best = Math.max(best, longest(reach, afterName + 1, end));
        }
        if (uri.startsWith(sep, end)) next = Math.max(next, end + sep.length);
      }
      return [best, next];
    };
    // The longest end of the chain of pairs from each pair start, filled on demand (a chain is
    // walked once, however many expressions start inside it). -2: not computed yet.
    let chains: Int32Array | undefined;
    let chainsFor: Int32Array | undefined;
    const chain = (start: number, reach: Int32Array): number => {
      if (chainsFor !== reach) {
        chains = new Int32Array(uri.length + 2).fill(-2);
        chainsFor = reach;
      }
      const memo = chains as Int32Array;
      const walked: Array<[number, number]> = [];
      let pair = start;
      while (pair !== -1 && memo[pair] === -2) {
        const [best, next] = pairAt(pair, reach);
        walked.push([pair, best]);
        pair = next;
      }
      let tail = pair === -1 ? -1 : (memo[pair] as number);
      for (let i = walked.length - 1; i >= 0; i--) {
        const [at, best] = walked[i] as [number, number];
        tail = Math.max(tail, best);
        memo[at] = tail;
      }
      return tail;
    };
    return (at, reach) => {
      if (uri.startsWith(first, at)) {
        const end = chain(at + first.length, reach);
        if (end !== -1) return end;
      }
      return reach[at] === at ? at : -1;
    };
  };
}
