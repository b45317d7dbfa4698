import type { RedisScript } from "./redis-driver.js";

/**
 * The Lua scripts of {@link RedisSessions}: each runs atomically, so a session's record, its
 * indexes, its event log and the pub/sub message announcing a change agree at every instant, and
 * every instance sees changes in one order. As in redis-scripts.ts, ids and messages only ever
 * arrive as ARGV values; ARGV[1] is the prefix, KEYS[1] the session's record (the key Redis, or a
 * Cluster with a hash-tagged prefix, runs the script by); the other keys are built from them.
 *
 * Keys (P is the prefix; session ids are UUIDs, owners and URIs opaque, and no kind is a prefix
 * of another):
 * - `P s:<id>`: a hash, the session: `owner`, `v` (version), `tk` ("1": the revision has
 *   tasks), `ci`/`cc` (clientInfo/capabilities JSON), `in` (initialized "1"/"0"), `ll` (log
 *   level), `r:<uri>` per resource subscription, `idle` (ms, 0: never idle out), `seen` (Redis
 *   time, ms, of the last use an instance reported).
 * - `P s:<id>:log`: a stream, the session's SSE events (`s` stream, `q` seq, `m` message JSON,
 *   `e` "1" on a stream's end mark), bounded by count and bytes (oldest dropped first).
 * - `P s:<id>:meta`: a hash: `n:<stream>` the stream's last seq, `e:<stream>` ended,
 *   `d:<stream>` delivered mark, `bytes` the log's message bytes.
 * - `P s:<id>:get`: the holder of the session's one standalone GET stream (a string with a TTL,
 *   renewed while the stream is open).
 * - `P so:<owner>` and `P sr:<uri>`: sets of session ids (the sessions of a task owner, the
 *   sessions subscribed to a resource); members whose session is gone are dropped when met.
 * Channels: `P sessions` (signals, JSON) and `P s:<id>:events` (each event appended:
 * `<stream>\n<seq>\n<end>\n<message>`).
 * Redis drops a record `2 * idle` after its last use, a backstop: instances end idle sessions
 * before that (`expireIdle`), releasing their tasks.
 */
const HELPERS = `
local P = ARGV[1]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function sessionKey(id) return P .. 's:' .. id end
-- Keeps the record, its log and the indexes it is in for 2 * idle (idle 0: for good).
local function keep(id, record)
  local idle = tonumber(redis.call('HGET', record, 'idle') or '0')
  local keys = { record, record .. ':log', record .. ':meta', P .. 'so:' .. redis.call('HGET', record, 'owner') }
  local fields = redis.call('HKEYS', record)
  for _, field in ipairs(fields) do
    if string.sub(field, 1, 2) == 'r:' then keys[#keys + 1] = P .. 'sr:' .. string.sub(field, 3) end
  end
  for i, key in ipairs(keys) do
    if idle <= 0 then
      if i <= 3 then redis.call('PERSIST', key) end
    else
      local left = redis.call('PTTL', key)
      if i <= 3 or left == -1 or left < 2 * idle then redis.call('PEXPIRE', key, 2 * idle) end
    end
  end
end
-- Deletes the session, its log and its index entries, and signals its end. Returns 1 if it existed.
local function remove(id, origin)
  local record = sessionKey(id)
  local owner = redis.call('HGET', record, 'owner')
  if not owner then return 0 end
  for _, field in ipairs(redis.call('HKEYS', record)) do
    if string.sub(field, 1, 2) == 'r:' then redis.call('SREM', P .. 'sr:' .. string.sub(field, 3), id) end
  end
  redis.call('SREM', P .. 'so:' .. owner, id)
  redis.call('DEL', record, record .. ':log', record .. ':meta')
  redis.call('PUBLISH', P .. 'sessions', cjson.encode({ type = 'ended', sessionId = id, origin = origin }))
  return 1
end
-- Appends one event to a stream of the session (seq '' numbers it), trims the log to its bounds
-- and publishes it. Returns its seq, or -1 when the session is gone.
local function append(id, stream, seqArg, message, ended, maxEvents, maxBytes)
  local record = sessionKey(id)
  if redis.call('EXISTS', record) == 0 then return -1 end
  local log = record .. ':log'
  local meta = record .. ':meta'
  local seq
  if seqArg == '' then
    seq = redis.call('HINCRBY', meta, 'n:' .. stream, 1)
  else
    seq = tonumber(seqArg)
    if seq > tonumber(redis.call('HGET', meta, 'n:' .. stream) or '0') then
      redis.call('HSET', meta, 'n:' .. stream, seq)
    end
  end
  if ended == '1' then redis.call('HSET', meta, 'e:' .. stream, '1') end
  redis.call('XADD', log, '*', 's', stream, 'q', seq, 'm', message, 'e', ended)
  local bytes = redis.call('HINCRBY', meta, 'bytes', #message)
  local length = redis.call('XLEN', log)
  -- The newest event stays, however large: it cannot be split.
  while length > 1 and (length > maxEvents or bytes > maxBytes) do
    local oldest = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
    local f = oldest[2]
    redis.call('XDEL', log, oldest[1])
    -- (Not -#f[6]: for an empty message that is -0, which Redis refuses as an integer.)
    if #f[6] > 0 then bytes = redis.call('HINCRBY', meta, 'bytes', 0 - #f[6]) end
    length = length - 1
    -- A stream's end mark is its last entry: once it goes, nothing of the stream is left.
    if f[8] == '1' then redis.call('HDEL', meta, 'n:' .. f[2], 'e:' .. f[2], 'd:' .. f[2]) end
  end
  local left = redis.call('PTTL', record)
  if left > 0 then
    redis.call('PEXPIRE', log, left)
    redis.call('PEXPIRE', meta, left)
  end
  redis.call('PUBLISH', record .. ':events', stream .. '\\n' .. seq .. '\\n' .. ended .. '\\n' .. message)
  return seq
end
`;

function script(body: string): RedisScript {
  return { numberOfKeys: 1, lua: `${HELPERS}${body}` };
}

export const SESSION_SCRIPTS = {
  /** ARGV: P, id, idle, owner, version, tasks, clientInfo, caps, initialized, level, uri… */
  fastestmcpSessionSave: script(`
local id = ARGV[2]
local record = KEYS[1]
redis.call('DEL', record, record .. ':log', record .. ':meta')
redis.call('HSET', record, 'owner', ARGV[4], 'v', ARGV[5], 'tk', ARGV[6], 'ci', ARGV[7], 'cc', ARGV[8],
  'in', ARGV[9], 'll', ARGV[10], 'idle', ARGV[3], 'seen', now())
for i = 11, #ARGV do
  redis.call('HSET', record, 'r:' .. ARGV[i], '1')
  redis.call('SADD', P .. 'sr:' .. ARGV[i], id)
end
redis.call('SADD', P .. 'so:' .. ARGV[4], id)
keep(id, record)
return 1
`),

  /** ARGV: P. The record's fields, or an empty list when it is gone or idle past its time. */
  fastestmcpSessionLoad: script(`
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return fields end
local idle = tonumber(redis.call('HGET', KEYS[1], 'idle') or '0')
local seen = tonumber(redis.call('HGET', KEYS[1], 'seen') or '0')
if idle > 0 and now() - seen > idle then return {} end
return fields
`),

  /** ARGV: P, id, field (in, ll, sub, unsub), value, signal JSON. Returns 0 when the session is gone. */
  fastestmcpSessionUpdate: script(`
local id = ARGV[2]
local record = KEYS[1]
if redis.call('EXISTS', record) == 0 then return 0 end
local field = ARGV[3]
if field == 'in' then redis.call('HSET', record, 'in', '1')
elseif field == 'll' then redis.call('HSET', record, 'll', ARGV[4])
elseif field == 'sub' then
  redis.call('HSET', record, 'r:' .. ARGV[4], '1')
  redis.call('SADD', P .. 'sr:' .. ARGV[4], id)
  keep(id, record)
elseif field == 'unsub' then
  redis.call('HDEL', record, 'r:' .. ARGV[4])
  redis.call('SREM', P .. 'sr:' .. ARGV[4], id)
end
redis.call('PUBLISH', P .. 'sessions', ARGV[5])
return 1
`),

  /** ARGV: P, id. Marks the session used now. Returns 0 when it is gone. */
  fastestmcpSessionTouch: script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'seen', now())
keep(ARGV[2], KEYS[1])
return 1
`),

  /**
   * ARGV: P, holder, ttlMs. Claims the session's standalone GET stream (`P s:<id>:get`) for
   * holder, or renews holder's claim; 0 when another holder has it.
   */
  fastestmcpSessionClaimGet: script(`
local key = KEYS[1] .. ':get'
local held = redis.call('GET', key)
if held and held ~= ARGV[2] then return 0 end
redis.call('SET', key, ARGV[2], 'PX', ARGV[3])
return 1
`),

  /** ARGV: P, holder. Lets the claim go if holder still has it. */
  fastestmcpSessionReleaseGet: script(`
local key = KEYS[1] .. ':get'
if redis.call('GET', key) == ARGV[2] then redis.call('DEL', key) end
return 1
`),

  /** ARGV: P, id, origin. */
  fastestmcpSessionRemove: script(`
return remove(ARGV[2], ARGV[3])
`),

  /** ARGV: P, id, origin, idleMs. Removes the session if unused for idleMs. */
  fastestmcpSessionExpire: script(`
local seen = redis.call('HGET', KEYS[1], 'seen')
if not seen or now() - tonumber(seen) < tonumber(ARGV[4]) then return 0 end
return remove(ARGV[2], ARGV[3])
`),

  /** ARGV: P, id, stream, seq or '', message, end, maxEvents, maxBytes. */
  fastestmcpSessionAppend: script(`
return append(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]))
`),

  /**
   * KEYS[1]: an index set (so:<owner> or sr:<uri>). ARGV: P, message, maxEvents, maxBytes, the
   * field a member's record must have, excluded ids…. Appends the message to the standalone
   * stream of each member; returns how many.
   */
  fastestmcpSessionNotify: script(`
local skip = {}
for i = 6, #ARGV do skip[ARGV[i]] = true end
local told = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local record = sessionKey(id)
  if redis.call('EXISTS', record) == 0 then
    redis.call('SREM', KEYS[1], id)
  elseif not skip[id] and redis.call('HGET', record, ARGV[5]) == '1' then
    if append(id, '0', '', ARGV[2], '0', tonumber(ARGV[3]), tonumber(ARGV[4])) >= 0 then told = told + 1 end
  end
end
return told
`),

  /**
   * ARGV: P, id, stream, after seq ('': the delivered mark). Returns { known, ended, after,
   * { seq, message, end, … } } for the stream's events after that seq.
   */
  fastestmcpSessionRead: script(`
local record = KEYS[1]
if redis.call('EXISTS', record) == 0 then return { 0, 0, 0, {} } end
local meta = record .. ':meta'
local stream = ARGV[3]
local known = stream == '0' or redis.call('HEXISTS', meta, 'n:' .. stream) == 1
if not known then return { 0, 0, 0, {} } end
local after
if ARGV[4] == '' then after = tonumber(redis.call('HGET', meta, 'd:' .. stream) or '0')
else after = tonumber(ARGV[4]) end
local ended = 0
if redis.call('HEXISTS', meta, 'e:' .. stream) == 1 then ended = 1 end
local out = {}
for _, entry in ipairs(redis.call('XRANGE', record .. ':log', '-', '+')) do
  local f = entry[2]
  if f[2] == stream and tonumber(f[4]) > after then
    out[#out + 1] = f[4]
    out[#out + 1] = f[6]
    out[#out + 1] = f[8]
  end
end
return { 1, ended, after, out }
`),

  /** ARGV: P, id, stream, seq. Moves the stream's delivered mark forward (never back). */
  fastestmcpSessionDelivered: script(`
local meta = KEYS[1] .. ':meta'
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(ARGV[4]) > tonumber(redis.call('HGET', meta, 'd:' .. ARGV[3]) or '0') then
  redis.call('HSET', meta, 'd:' .. ARGV[3], ARGV[4])
  local left = redis.call('PTTL', KEYS[1])
  if left > 0 then redis.call('PEXPIRE', meta, left) end
end
return 1
`),
} as const;

export type SessionScriptName = keyof typeof SESSION_SCRIPTS;
