import { afterEach, describe, expect, it } from "vitest";
import { FastestMCP } from "../../../../src/fastestmcp.js";
import { UriTemplate } from "../../../../src/server/resources/uri-template/uri-template.js";
import { openSession } from "../../session/session-harness.js";

// The matching rules docs/resources.md ("Matching") states, beyond the RFC's own examples
// (uri-template-rfc.test.ts), and templates of levels 2 to 4 served through a real server.

describe("UriTemplate matching rules", () => {
  it("matches query parameters in any order, each at most once, and only the template's own", () => {
    const users = new UriTemplate("users://{id}{?fields,page}");
    expect(users.match("users://42")).toEqual({ id: "42" });
    expect(users.match("users://42?page=2&fields=a%2Cb")).toEqual({ id: "42", page: "2", fields: "a,b" });
    expect(users.match("users://42?fields")).toEqual({ id: "42", fields: "" });
    expect(users.match("users://42?fields=")).toEqual({ id: "42", fields: "" });
    expect(users.match("users://42?fields=a+b")).toEqual({ id: "42", fields: "a+b" }); // "+" is not a space
    expect(users.match("users://42?page=2&page=3")).toBeUndefined();
    expect(users.match("users://42?other=1")).toBeUndefined();
    expect(users.match("users://42?fields=a#top")).toBeUndefined();
    expect(users.match("users://42?")).toBeUndefined();
  });

  it("collects an exploded query parameter into a list and keeps expressions in template order", () => {
    const search = new UriTemplate("search://{?q}{&tag*}");
    expect(search.match("search://?q=mcp&tag=a&tag=b")).toEqual({ q: "mcp", tag: ["a", "b"] });
    expect(search.match("search://&tag=a")).toEqual({ tag: ["a"] });
    expect(search.match("search://?tag=a&q=mcp")).toBeUndefined();
  });

  it("lets {+path} span slashes but not a query or fragment, and needs one character", () => {
    const files = new UriTemplate("file:///{+path}");
    expect(files.match("file:///a/b/c.txt")).toEqual({ path: "a/b/c.txt" });
    expect(files.match("file:///a%20b/c%2Fd")).toEqual({ path: "a b/c/d" });
    expect(files.match("file:///")).toBeUndefined();
    expect(files.match("file:///a?x=1")).toBeUndefined();
    const withQuery = new UriTemplate("file:///{+path}{?lines}");
    expect(withQuery.match("file:///src/a.ts?lines=3-9")).toEqual({ path: "src/a.ts", lines: "3-9" });
  });

  it("matches path segments as a list, absent when there are none", () => {
    const tree = new UriTemplate("repo://{owner}/{repo}/tree{/segments*}{?ref}");
    expect(tree.match("repo://o/r/tree")).toEqual({ owner: "o", repo: "r" });
    expect(tree.match("repo://o/r/tree/src/a%20b?ref=main")).toEqual({
      owner: "o",
      repo: "r",
      segments: ["src", "a b"],
      ref: "main",
    });
    expect(tree.match("repo://o/r/tree/")).toEqual({ owner: "o", repo: "r", segments: [""] });
    expect(tree.match("repo://o/r/treex")).toBeUndefined();
  });

  it("rejects more values than an expression has variables", () => {
    expect(new UriTemplate("map://{x,y}").match("map://1,2,3")).toBeUndefined();
    expect(new UriTemplate("map://{/x,y}").match("map:///1/2/3")).toBeUndefined();
    expect(new UriTemplate("map://{x}").match("map://1,2,3")).toEqual({ x: "1,2,3" });
  });

  it("limits a prefix variable to its length, in characters", () => {
    const shard = new UriTemplate("img://{id:2}/x");
    expect(shard.match("img://ab/x")).toEqual({ id: "ab" });
    expect(shard.match("img://%C3%A9%C3%A9/x")).toEqual({ id: "éé" });
    expect(shard.match("img://abc/x")).toBeUndefined();
  });

  it("requires a repeated variable to agree with itself", () => {
    const sharded = new UriTemplate("img://{name:1}/{name}");
    expect(sharded.variables).toEqual(["name"]);
    expect(sharded.match("img://r/report")).toEqual({ name: "report" });
    expect(sharded.match("img://x/report")).toBeUndefined();
    expect(new UriTemplate("a://{x}/{x}").match("a://1/2")).toBeUndefined();
    expect(new UriTemplate("a://{/x*}{?x*}").match("a:///1?x=1")).toEqual({ x: ["1"] });
    expect(new UriTemplate("a://{/x*}{?x*}").match("a:///1?x=2")).toBeUndefined();
  });

  it("resolves ambiguity greedily, left to right", () => {
    expect(new UriTemplate("file:///{name}{.ext}").match("file:///a.b.c")).toEqual({ name: "a.b.c" });
    expect(new UriTemplate("file:///{name}.{ext}").match("file:///a.b.c")).toEqual({ name: "a.b", ext: "c" });
    expect(new UriTemplate("x://{a}-{b}").match("x://1-2-3")).toEqual({ a: "1-2", b: "3" });
  });

  it("does not match a malformed percent-escape in any operator", () => {
    for (const template of ["x://{+a}", "x://{/a*}", "x://{?a}", "x://{;a}", "x://{#a}"]) {
      const uri = new UriTemplate(template).expand({ a: "v" }).replace("v", "%E0%A4%A");
      expect(new UriTemplate(template).match(uri), template).toBeUndefined();
    }
  });
});

describe("UriTemplate expansion", () => {
  it("encodes as RFC 6570 says, writes numbers and booleans, and reads own properties only", () => {
    expect(new UriTemplate("x://{a}").expand({ a: "it's (ok)!*" })).toBe("x://it%27s%20%28ok%29%21%2A");
    expect(new UriTemplate("x://{+a}").expand({ a: "50%25 [x] 100%" })).toBe("x://50%25%20[x]%20100%25");
    expect(new UriTemplate("x://{a}{?n,b}").expand({ a: 1, n: 2.5, b: false })).toBe("x://1?n=2.5&b=false");
    expect(new UriTemplate("x://{constructor}/{toString}").expand({})).toBe("x:///");
    expect(new UriTemplate("x://{a}{?q}").expand({ a: "1", q: undefined })).toBe("x://1");
  });
});

const servers: FastestMCP[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function filesServer(): FastestMCP {
  const server = FastestMCP.server("files").addResourceTemplate(
    "file:///{+path}{?lines,tag*}",
    (uri, { path, lines, tag }) => JSON.stringify({ href: uri.href, path, lines, tag }),
    { mimeType: "application/json", complete: { lines: ["1-10", "11-20"] } },
  );
  servers.push(server);
  return server;
}

describe("Resource templates beyond level 1", () => {
  it("reads through a level-4 template in-process, the handler getting the matched variables", async () => {
    const { contents } = await filesServer().readResource("file:///src/a%20b.ts?tag=x&lines=3&tag=y");
    expect(JSON.parse((contents[0] as { text: string }).text)).toEqual({
      href: "file:///src/a%20b.ts?tag=x&lines=3&tag=y",
      path: "src/a b.ts",
      lines: "3",
      tag: ["x", "y"],
    });
  });

  it("lists the template as written, reads it over a session and completes its query variable", async () => {
    const server = filesServer();
    const { init, request } = openSession(server);
    await init();
    expect((await request("resources/templates/list")).result).toEqual({
      resourceTemplates: [
        {
          uriTemplate: "file:///{+path}{?lines,tag*}",
          name: "file:///{+path}{?lines,tag*}",
          mimeType: "application/json",
        },
      ],
    });
    const read = await request("resources/read", { uri: "file:///docs/x.md" });
    expect(read.result?.contents).toMatchObject([
      { uri: "file:///docs/x.md", text: expect.stringContaining('"path":"docs/x.md"') },
    ]);
    expect((await request("resources/read", { uri: "file:///docs/x.md?nope=1" })).error).toMatchObject({
      code: -32002,
      data: { reason: "resource-not-found" },
    });
    const completion = await request("completion/complete", {
      ref: { type: "ref/resource", uri: "file:///{+path}{?lines,tag*}" },
      argument: { name: "lines", value: "1" },
    });
    expect(completion.result).toMatchObject({ completion: { values: ["1-10", "11-20"] } });
  });
});
