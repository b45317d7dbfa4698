import { describe, expect, it } from "vitest";
import { UriTemplate } from "../../../../src/server/resources/uri-template/uri-template.js";
import {
  compileRegexScanner,
  regexScanner,
} from "../../../../src/server/resources/uri-template/uri-template-regex.js";
import { compileScanner } from "../../../../src/server/resources/uri-template/uri-template-scan.js";
import { parseTemplate } from "../../../../src/server/resources/uri-template/uri-template-syntax.js";
import { seededRandom } from "../../../seeded-random.js";

const OPERATORS = ["", "+", "#", ".", "/", ";", "?", "&"];
const LITERALS = ["a", "/", "-", ".", "x", ",", "=", ";", "ab", "/x"];
const URI_PIECES = ["a", "b", "x", "/", ".", ",", "?", "#", "=", "&", ";", "-", "%20", "ab"];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function randomTemplate(next: () => number): string {
  let template = `{${pick(next, OPERATORS)}b}`;
  const parts = 1 + Math.floor(next() * 4);
  for (let i = 0; i < parts; i++) {
    if (next() < 0.4) {
      template += pick(next, LITERALS);
      continue;
    }
    const specs = Array.from({ length: 1 + Math.floor(next() * 2) }, () => {
      const name = pick(next, ["a", "b", "ab"]);
      const roll = next();
      return roll < 0.2 ? `${name}*` : roll < 0.3 ? `${name}:2` : name;
    });
    template += `{${pick(next, OPERATORS)}${specs.join(",")}}`;
  }
  return template;
}

function randomUri(next: () => number, template: UriTemplate): string {
  if (next() < 0.5) {
    // An expansion, so that many cases match.
    const value = () =>
      next() < 0.3 ? [pick(next, ["a", "b/c"]), "x"] : pick(next, ["", "a", "b.c", "x,y", "a b"]);
    try {
      return template.expand({ a: value(), b: value(), ab: value() });
    } catch {
      // A list for a prefix variable ({a:2}) cannot be expanded: use a random URI instead.
    }
  }
  return Array.from({ length: Math.floor(next() * 10) }, () => pick(next, URI_PIECES)).join("");
}

describe("URI template matching in linear time", () => {
  it("finds the same expression texts as a greedy regular expression, on 20,000 random templates and URIs", () => {
    const next = seededRandom(6570);
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = randomTemplate(next);
      const parts = parseTemplate(text);
      const uri = randomUri(next, new UriTemplate(text));
      const expected = regexScanner(parts)(uri);
      expect(compileScanner(parts)(uri), `${text} against ${JSON.stringify(uri)}`).toEqual(expected);
      if (expected !== undefined) matched++;
    }
    // Both outcomes are well represented.
    expect(matched).toBeGreaterThan(4_000);
    expect(matched).toBeLessThan(16_000);
  });

  it("uses the regular expression only where each expression's end is fixed by the URI", () => {
    const usesRegex = (text: string) => compileRegexScanner(parseTemplate(text)) !== undefined;
    expect(usesRegex("users://{id}")).toBe(true);
    expect(usesRegex("repo://{owner}/{repo}/tree/{+path}{?ref}")).toBe(true);
    expect(usesRegex("search{?q,page}{#section}")).toBe(true);
    expect(usesRegex("q://{a}{b}")).toBe(false);
    expect(usesRegex("q://{a}-{b}")).toBe(false);
    expect(usesRegex("file:///{+a}/{+b}")).toBe(false);
    expect(usesRegex("doc{#frag}/x")).toBe(false);
  });

  // Each of these took seconds to minutes with one backtracking regular expression (a
  // 500-character URI against {a}{b}{c}{d}x: 38 s), blocking the server's event loop.
  it.each([
    ["q://{a}{b}{c}{d}x", `q://${"a".repeat(100_000)}`, "q://abcdx", { a: "a", b: "b", c: "c", d: "d" }],
    ["file:///{+a}{+b}{+c}x", `file:///${"a".repeat(100_000)}`, "file:///a/bcx", { a: "a/", b: "b", c: "c" }],
    [
      "file:///{+a}/{+b}/{+c}/x",
      `file:///a${"/a".repeat(50_000)}`,
      "file:///a/b/c/d/x",
      { a: "a/b", c: "d" },
    ],
    ["q://{.a*}{.b*}x", `q://${".a".repeat(50_000)}`, "q://.a.b.cx", { a: ["a", "b", "c"] }],
    ["q://{;a,b}{;c}x", `q://${";a=1".repeat(25_000)}`, "q://;a=1;b=2;c=3x", { a: "1", c: "3" }],
    ["q://{a}-{b}-{c}-{d}!", `q://${"-".repeat(100_000)}`, "q://a-b-c-d-e!", { a: "a-b", d: "e" }],
  ])(
    "answers %s against a hostile 100,000-character URI without backtracking",
    (text, hostile, uri, some) => {
      const template = new UriTemplate(text);
      expect(template.match(hostile)).toBeUndefined();
      expect(template.match(uri)).toMatchObject(some);
    },
  );
});
