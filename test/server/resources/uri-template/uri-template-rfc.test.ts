import { describe, expect, it } from "vitest";
import { UriTemplate } from "../../../../src/server/resources/uri-template/uri-template.js";

// The examples of RFC 6570 section 3.2 (the variables of section 3.2, every template of
// sections 3.2.1 to 3.2.9), as https://github.com/uri-templates/uritemplate-test lists them.
// `keys` is expanded in insertion order, one of the orders the RFC allows.
const VARIABLES = {
  count: ["one", "two", "three"],
  dom: ["example", "com"],
  dub: "me/too",
  hello: "Hello World!",
  half: "50%",
  var: "value",
  who: "fred",
  base: "http://example.com/home/",
  path: "/foo/bar",
  list: ["red", "green", "blue"],
  keys: { semi: ";", dot: ".", comma: "," },
  v: "6",
  x: "1024",
  y: "768",
  empty: "",
  empty_keys: {},
  undef: null,
};

type Match = Record<string, string | string[]> | undefined;
const LIST = ["red", "green", "blue"];
const COUNT = ["one", "two", "three"];

/** [template, expansion, what matching that expansion gives back]. */
const EXAMPLES: ReadonlyArray<readonly [string, string, Match]> = [
  // 3.2.1 Variable expansion
  ["{count}", "one,two,three", { count: "one,two,three" }],
  ["{count*}", "one,two,three", { count: COUNT }],
  ["{/count}", "/one,two,three", { count: "one,two,three" }],
  ["{/count*}", "/one/two/three", { count: COUNT }],
  ["{;count}", ";count=one,two,three", { count: "one,two,three" }],
  ["{;count*}", ";count=one;count=two;count=three", { count: COUNT }],
  ["{?count}", "?count=one,two,three", { count: "one,two,three" }],
  ["{?count*}", "?count=one&count=two&count=three", { count: COUNT }],
  ["{&count*}", "&count=one&count=two&count=three", { count: COUNT }],
  // 3.2.2 Simple string expansion
  ["{var}", "value", { var: "value" }],
  ["{hello}", "Hello%20World%21", { hello: "Hello World!" }],
  ["{half}", "50%25", { half: "50%" }],
  ["O{empty}X", "OX", undefined], // {x} matches at least one character
  ["O{undef}X", "OX", undefined],
  ["{x,y}", "1024,768", { x: "1024", y: "768" }],
  ["{x,hello,y}", "1024,Hello%20World%21,768", { x: "1024", hello: "Hello World!", y: "768" }],
  ["?{x,empty}", "?1024,", { x: "1024", empty: "" }],
  ["?{x,undef}", "?1024", { x: "1024" }],
  ["?{undef,y}", "?768", { undef: "768" }], // values fill variables left to right
  ["{var:3}", "val", { var: "val" }],
  ["{var:30}", "value", { var: "value" }],
  ["{list}", "red,green,blue", { list: "red,green,blue" }],
  ["{list*}", "red,green,blue", { list: LIST }],
  ["{keys}", "semi,%3B,dot,.,comma,%2C", { keys: "semi,;,dot,.,comma,," }],
  ["{keys*}", "semi=%3B,dot=.,comma=%2C", { keys: ["semi=;", "dot=.", "comma=,"] }],
  // 3.2.3 Reserved expansion
  ["{+var}", "value", { var: "value" }],
  ["{+hello}", "Hello%20World!", { hello: "Hello World!" }],
  ["{+half}", "50%25", { half: "50%" }],
  ["{base}index", "http%3A%2F%2Fexample.com%2Fhome%2Findex", { base: "http://example.com/home/" }],
  ["{+base}index", "http://example.com/home/index", { base: "http://example.com/home/" }],
  ["O{+empty}X", "OX", undefined],
  ["O{+undef}X", "OX", undefined],
  ["{+path}/here", "/foo/bar/here", { path: "/foo/bar" }],
  ["{+path:6}/here", "/foo/b/here", { path: "/foo/b" }],
  ["here?ref={+path}", "here?ref=/foo/bar", { path: "/foo/bar" }],
  // Ambiguous: the earlier expression takes as much as it can.
  ["up{+path}{var}/here", "up/foo/barvalue/here", { path: "/foo/barvalu", var: "e" }],
  ["{+x,hello,y}", "1024,Hello%20World!,768", { x: "1024", hello: "Hello World!", y: "768" }],
  ["{+path,x}/here", "/foo/bar,1024/here", { path: "/foo/bar", x: "1024" }],
  ["{+list}", "red,green,blue", { list: "red,green,blue" }],
  ["{+list*}", "red,green,blue", { list: LIST }],
  ["{+keys}", "semi,;,dot,.,comma,,", { keys: "semi,;,dot,.,comma,," }],
  ["{+keys*}", "semi=;,dot=.,comma=,", { keys: ["semi=;", "dot=.", "comma=", ""] }], // "," kept raw
  // 3.2.4 Fragment expansion
  ["{#var}", "#value", { var: "value" }],
  ["{#hello}", "#Hello%20World!", { hello: "Hello World!" }],
  ["{#half}", "#50%25", { half: "50%" }],
  ["foo{#empty}", "foo#", { empty: "" }],
  ["foo{#undef}", "foo", {}],
  ["{#x,hello,y}", "#1024,Hello%20World!,768", { x: "1024", hello: "Hello World!", y: "768" }],
  ["{#path,x}/here", "#/foo/bar,1024/here", { path: "/foo/bar", x: "1024" }],
  ["{#path:6}/here", "#/foo/b/here", { path: "/foo/b" }],
  ["{#list}", "#red,green,blue", { list: "red,green,blue" }],
  ["{#list*}", "#red,green,blue", { list: LIST }],
  ["{#keys}", "#semi,;,dot,.,comma,,", { keys: "semi,;,dot,.,comma,," }],
  ["{#keys*}", "#semi=;,dot=.,comma=,", { keys: ["semi=;", "dot=.", "comma=", ""] }],
  // 3.2.5 Label expansion with dot-prefix
  ["{.who}", ".fred", { who: "fred" }],
  ["{.who,who}", ".fred.fred", { who: "fred" }],
  ["{.half,who}", ".50%25.fred", { half: "50%", who: "fred" }],
  ["www{.dom*}", "www.example.com", { dom: ["example", "com"] }],
  ["X{.var}", "X.value", { var: "value" }],
  ["X{.var:3}", "X.val", { var: "val" }],
  ["X{.empty}", "X.", { empty: "" }],
  ["X{.undef}", "X", {}],
  ["X{.list}", "X.red,green,blue", { list: "red,green,blue" }],
  ["X{.list*}", "X.red.green.blue", { list: LIST }],
  ["X{.empty_keys}", "X", {}],
  ["X{.empty_keys*}", "X", {}],
  // 3.2.6 Path segment expansion
  ["{/who}", "/fred", { who: "fred" }],
  ["{/who,who}", "/fred/fred", { who: "fred" }],
  ["{/half,who}", "/50%25/fred", { half: "50%", who: "fred" }],
  ["{/who,dub}", "/fred/me%2Ftoo", { who: "fred", dub: "me/too" }],
  ["{/var}", "/value", { var: "value" }],
  ["{/var,empty}", "/value/", { var: "value", empty: "" }],
  ["{/var,undef}", "/value", { var: "value" }],
  ["{/var,x}/here", "/value/1024/here", { var: "value", x: "1024" }],
  ["{/var:1,var}", "/v/value", { var: "value" }],
  ["{/list}", "/red,green,blue", { list: "red,green,blue" }],
  ["{/list*}", "/red/green/blue", { list: LIST }],
  ["{/list*,path:4}", "/red/green/blue/%2Ffoo", { list: LIST, path: "/foo" }],
  ["{/keys}", "/semi,%3B,dot,.,comma,%2C", { keys: "semi,;,dot,.,comma,," }],
  ["{/keys*}", "/semi=%3B/dot=./comma=%2C", { keys: ["semi=;", "dot=.", "comma=,"] }],
  // 3.2.7 Path-style parameter expansion
  ["{;who}", ";who=fred", { who: "fred" }],
  ["{;half}", ";half=50%25", { half: "50%" }],
  ["{;empty}", ";empty", { empty: "" }],
  ["{;hello:5}", ";hello=Hello", { hello: "Hello" }],
  ["{;v,empty,who}", ";v=6;empty;who=fred", { v: "6", empty: "", who: "fred" }],
  ["{;v,bar,who}", ";v=6;who=fred", { v: "6", who: "fred" }],
  ["{;x,y}", ";x=1024;y=768", { x: "1024", y: "768" }],
  ["{;x,y,empty}", ";x=1024;y=768;empty", { x: "1024", y: "768", empty: "" }],
  ["{;x,y,undef}", ";x=1024;y=768", { x: "1024", y: "768" }],
  ["{;list}", ";list=red,green,blue", { list: "red,green,blue" }],
  ["{;list*}", ";list=red;list=green;list=blue", { list: LIST }],
  ["{;keys}", ";keys=semi,%3B,dot,.,comma,%2C", { keys: "semi,;,dot,.,comma,," }],
  ["{;keys*}", ";semi=%3B;dot=.;comma=%2C", undefined], // names that are not the template's
  // 3.2.8 Form-style query expansion
  ["{?who}", "?who=fred", { who: "fred" }],
  ["{?half}", "?half=50%25", { half: "50%" }],
  ["{?x,y}", "?x=1024&y=768", { x: "1024", y: "768" }],
  ["{?x,y,empty}", "?x=1024&y=768&empty=", { x: "1024", y: "768", empty: "" }],
  ["{?x,y,undef}", "?x=1024&y=768", { x: "1024", y: "768" }],
  ["{?var:3}", "?var=val", { var: "val" }],
  ["{?list}", "?list=red,green,blue", { list: "red,green,blue" }],
  ["{?list*}", "?list=red&list=green&list=blue", { list: LIST }],
  ["{?keys}", "?keys=semi,%3B,dot,.,comma,%2C", { keys: "semi,;,dot,.,comma,," }],
  ["{?keys*}", "?semi=%3B&dot=.&comma=%2C", undefined],
  // 3.2.9 Form-style query continuation
  ["{&who}", "&who=fred", { who: "fred" }],
  ["{&half}", "&half=50%25", { half: "50%" }],
  ["?fixed=yes{&x}", "?fixed=yes&x=1024", { x: "1024" }],
  ["{&var:3}", "&var=val", { var: "val" }],
  ["{&x,y,empty}", "&x=1024&y=768&empty=", { x: "1024", y: "768", empty: "" }],
  ["{&x,y,undef}", "&x=1024&y=768", { x: "1024", y: "768" }],
  ["{&list}", "&list=red,green,blue", { list: "red,green,blue" }],
  ["{&list*}", "&list=red&list=green&list=blue", { list: LIST }],
  ["{&keys}", "&keys=semi,%3B,dot,.,comma,%2C", { keys: "semi,;,dot,.,comma,," }],
  ["{&keys*}", "&semi=%3B&dot=.&comma=%2C", undefined],
];

describe("UriTemplate against the examples of RFC 6570 section 3.2", () => {
  it.each(EXAMPLES)("expands %s to %s", (template, expansion) => {
    expect(new UriTemplate(template).expand(VARIABLES)).toBe(expansion);
  });

  it.each(EXAMPLES)("matches %s against %s", (template, expansion, variables) => {
    expect(new UriTemplate(template).match(expansion)).toEqual(variables);
  });

  it("reproduces every expansion of strings and exploded lists from what it matched", () => {
    // Lists without "*" come back as one string and associative arrays as "k=v" items, so only
    // these round-trip; every other row above pins what matching gives instead.
    const roundTrips = EXAMPLES.filter(
      ([template, , variables]) => variables !== undefined && !/keys|\{[^}]*(count|list)[},]/.test(template),
    );
    expect(roundTrips.length).toBeGreaterThan(60);
    for (const [template, expansion, variables] of roundTrips) {
      expect(new UriTemplate(template).expand(variables ?? {}), template).toBe(expansion);
    }
  });

  it.each([
    "{/id*",
    "/id*}",
    "{/?id}",
    "{var:prefix}",
    "{hello:2*}",
    "{??hello}",
    "{!hello}",
    "{=path}",
    "{$var}",
    "{|var*}",
    "{*keys?}",
    "{?empty=default,var}",
    "{var}{-prefix|/-/|var}",
    "?q={searchTerms}&amp;c={example:color?}",
    "x{?empty|foo=none}",
    "/h{#hello+}",
    "/h#{hello+}",
    "{;keys:1*}",
    "?{-join|&|var,list}",
    "/people/{~thing}",
    "/sparql{?query){&default-graph-uri*}",
    "/resolution{?x, y}",
  ])("rejects the invalid template %s (uritemplate-test negative tests)", (template) => {
    expect(() => new UriTemplate(template)).toThrow(
      expect.objectContaining({ code: "FMCP_ERR_RESOURCE_URI_INVALID" }),
    );
  });

  it("refuses to expand a prefix of a list or an object", () => {
    const template = new UriTemplate("{keys:1}");
    expect(() => template.expand({ keys: ["a"] as never })).toThrow(/prefix applies to a string/);
    expect(() => new UriTemplate("{+keys:1}").expand({ keys: { a: "b" } as never })).toThrow(
      expect.objectContaining({ code: "FMCP_ERR_RESOURCE_URI_INVALID" }),
    );
  });
});
