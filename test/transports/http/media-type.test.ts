import { describe, expect, it } from "vitest";
import {
  ACCEPTS_JSON,
  ACCEPTS_SSE,
  acceptedTypes,
  isJsonContentType,
  PREFERS_JSON,
  parseMediaType,
} from "../../../src/transports/http/media-type.js";

const BOTH = ACCEPTS_JSON | ACCEPTS_SSE;

describe("Content-Type", () => {
  it.each([
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json ;  charset=utf-8",
    "application/json; foo=bar",
    "application/json;",
  ])("accepts %j", (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([
    // A browser sends these cross-origin without a CORS preflight.
    "text/plain; application/json",
    "text/plain;application/json",
    "multipart/form-data; boundary=application/json",
    "application/x-www-form-urlencoded; a=application/json",
    "application/jsonp",
    "application/json-seq",
    "application/vnd.api+json",
    "application/json, text/plain",
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "application/json; charset",
    "application /json",
    "application/",
    "/json",
    "json",
    "",
    `application/json; x="${"a".repeat(5000)}"`,
  ])("refuses %j", (value) => {
    expect(isJsonContentType(value)).toBe(false);
  });

  it("parses parameters, quoted strings included", () => {
    expect(parseMediaType('Text/HTML; Charset="a;b\\"c"; level=1')).toEqual({
      type: "text",
      subtype: "html",
      params: new Map([
        ["charset", 'a;b"c'],
        ["level", "1"],
      ]),
      q: 1,
    });
  });
});

describe("Accept", () => {
  it.each([
    ["application/json, text/event-stream", BOTH],
    ["text/event-stream, application/json", BOTH],
    ["APPLICATION/JSON,TEXT/EVENT-STREAM", BOTH],
    ["*/*", BOTH],
    ["application/*", ACCEPTS_JSON],
    ["text/*", ACCEPTS_SSE],
    ["application/json", ACCEPTS_JSON],
    ["text/event-stream", ACCEPTS_SSE],
    ["application/json;q=0.5, text/event-stream", BOTH],
    // q=0 means "not acceptable"; the most specific range wins over */*.
    ["text/event-stream;q=0, application/json", ACCEPTS_JSON],
    ["text/event-stream;q=0, */*", ACCEPTS_JSON],
    ["application/json;q=0, */*;q=0.1", ACCEPTS_SSE],
    ["*/*;q=0", 0],
    // Both allowed, JSON preferred: answer JSON.
    ["application/json, text/event-stream;q=0.5", BOTH | PREFERS_JSON],
    ["application/json;q=1.000, text/event-stream;q=0.999", BOTH | PREFERS_JSON],
    // Media-type parameters and accept-extensions do not stop a match.
    ["text/event-stream; charset=utf-8, application/json; q=0.9; ext=1", BOTH],
    // Malformed elements are skipped, the rest still counts.
    ["text/event-stream;q=2, application/json", ACCEPTS_JSON],
    ["garbage, application/json", ACCEPTS_JSON],
    ["*/json, text/event-stream", ACCEPTS_SSE],
    // Substrings are not media types.
    ["text/html, application/jsonp, text/event-streamer", 0],
    ["text/html", 0],
    ["", 0],
  ])("reads %j", (accept, expected) => {
    expect(acceptedTypes(accept)).toBe(expected);
  });

  it("gives the same answer for a value it has cached, and for more values than it caches", () => {
    for (let i = 0; i < 200; i++) {
      expect(acceptedTypes(`application/json;v=${i}`)).toBe(ACCEPTS_JSON);
      expect(acceptedTypes(`text/html;v=${i}`)).toBe(0);
      expect(isJsonContentType(`application/json;v=${i}`)).toBe(true);
    }
    expect(acceptedTypes("application/json;v=0")).toBe(ACCEPTS_JSON);
    expect(acceptedTypes("application/json, text/event-stream")).toBe(BOTH);
    expect(acceptedTypes("application/json, text/event-stream")).toBe(BOTH);
  });
});
