/**
 * @internal The coalescer moved to src/util/ so the stdio client (which may import ranks 0-1 only)
 * shares it. This re-export keeps the SSE writers in src/transports/http/ building until their
 * imports point at ../../util/write-coalescer.js; then delete this file.
 */
export { COALESCE_LIMIT, type ScheduleFlush, WriteCoalescer } from "../util/write-coalescer.js";
