import { describe, expect, it } from "vitest";
import { SseParser } from "../../bench/lib/sse-parser.js";

function parse(chunks: readonly string[]): string[] {
  const events: string[] = [];
  const parser = new SseParser((data) => events.push(data));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("bench SseParser", () => {
  it("reports the data of each event and skips id, event, retry, comments and empty events", () => {
    const stream = 'id: 1\nretry: 1000\ndata: \n\n: keep-alive\n\nid: 2\nevent: message\ndata: {"a":1}\n\n';
    expect(parse([stream])).toEqual(['{"a":1}']);
  });

  it("joins multi-line data with newlines and accepts data without a space", () => {
    expect(parse(["data:one\ndata: two\n\n"])).toEqual(["one\ntwo"]);
  });

  it("gives the same events however the stream is split into chunks", () => {
    const stream = 'event: message\ndata: {"n":1}\n\nevent: message\ndata: {"n":2}\n\ndata: x\n\n';
    const whole = parse([stream]);
    expect(whole).toEqual(['{"n":1}', '{"n":2}', "x"]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(parse([...stream])).toEqual(whole);
  });

  it("accepts CRLF and CR line ends, also when a CRLF is split across chunks", () => {
    const stream = "data: a\r\n\r\ndata: b\r\rdata: c\r\n\r\n";
    expect(parse([stream])).toEqual(["a", "b", "c"]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(["a", "b", "c"]);
    }
  });
});
