import type { RedisScript } from "./redis-driver.js";

/**
 * The store's Lua scripts: each runs atomically in Redis, so the conditional writes, the per-owner
 * quotas and `seq` hold across every process sharing the prefix. The sources are constants: task
 * ids, owners and records only ever arrive as ARGV values, never as Lua text. ARGV[1] is always
 * the key prefix. KEYS[1] is a key of the prefix the script touches, so Redis (and a Cluster,
 * with a hash-tagged prefix) knows where to run it; the others are built from the prefix.
 *
 * Keys (P is the prefix; every kind that ends in ":" is followed by an opaque id or owner, and no
 * kind is a prefix of another, so no id or owner can make one key look like another):
 * - `P t:<id>`: a hash, the task. `seq`, `owner`, `runner` (the store instance that created it,
 *   which runs it), `base` (the JSON of the fields no update changes), `f:<field>` (the JSON of
 *   each field an update may change), and once terminal `fin` (its place in finish order) and
 *   `bytes` (what its owner is charged).
 * - `P all:<owner>`: sorted set of the owner's task ids by `seq` (`list`, admission).
 * - `P done:<owner>`: sorted set of the owner's finished task ids by `fin` (eviction order).
 * - `P bytes:<owner>`: the owner's charged result bytes.
 * - `P seq`, `P finseq`: counters (INCR) for creation and finish order; never reset.
 * - `P expiry`: sorted set of task ids by `expiresAt` (epoch ms).
 * - `P finlog`: sorted set of recently finished task ids by `fin` (`finishedSince`), trimmed.
 * - `P runners`: sorted set of store instances by the end of their lease (Redis time, ms).
 * - `P running:<runner>`: set of the unfinished task ids a runner created (its lease covers them).
 * - `P events`: the stream of task events (written and read by redis-task-events.ts, not here).
 */

/** Functions every script starts with. */
const HELPERS = `
local P = ARGV[1]
-- Adds delta to the owner's charged bytes; the key goes when it reaches 0. Returns the new total.
local function charge(owner, delta)
  local key = P .. 'bytes:' .. owner
  if delta == 0 then return tonumber(redis.call('GET', key) or '0') end
  local left = redis.call('INCRBY', key, delta)
  if left <= 0 then redis.call('DEL', key) end
  return left
end
-- Deletes a task and every index entry and charge of it. Returns whether it existed.
local function removeTask(id)
  local key = P .. 't:' .. id
  local state = redis.call('HMGET', key, 'owner', 'bytes', 'fin', 'runner')
  local owner = state[1]
  redis.call('ZREM', P .. 'expiry', id)
  if not owner then return false end
  redis.call('DEL', key)
  redis.call('ZREM', P .. 'all:' .. owner, id)
  if state[3] then
    redis.call('ZREM', P .. 'done:' .. owner, id)
    charge(owner, -tonumber(state[2] or '0'))
  elseif state[4] then
    redis.call('SREM', P .. 'running:' .. state[4], id)
  end
  return true
end
-- Applies the (field, JSON) pairs of ARGV from index 'from' on: an empty value deletes the field.
local function applyPatch(key, from)
  local sets = {}
  for i = from, #ARGV, 2 do
    if ARGV[i + 1] == '' then
      redis.call('HDEL', key, ARGV[i])
    else
      sets[#sets + 1] = ARGV[i]
      sets[#sets + 1] = ARGV[i + 1]
    end
  end
  if #sets > 0 then redis.call('HSET', key, unpack(sets)) end
end
`;

function script(numberOfKeys: number, body: string): RedisScript {
  return { numberOfKeys, lua: `${HELPERS}${body}` };
}

/** Script names as ioredis commands (long, so they cannot clash with a user's own on a shared client). */
export const SCRIPTS = {
  /**
   * KEYS: `all:<owner>`. ARGV: P, id, owner, maxTasks, base, expiresAt (or ""), runner, field pairs.
   * Returns `false` when every kept task of the owner is unfinished, else `{seq, evictedIds}`.
   */
  fastestmcpTaskCreate: script(
    1,
    `
local all, id, owner = KEYS[1], ARGV[2], ARGV[3]
local done = P .. 'done:' .. owner
local key = P .. 't:' .. id
if redis.call('EXISTS', key) == 1 then return redis.error_reply('ERR task id already stored') end
local total = redis.call('ZCARD', all)
local maxTasks = tonumber(ARGV[4])
if total - redis.call('ZCARD', done) >= maxTasks then return false end
local evicted = {}
local over = total + 1 - maxTasks
if over > 0 then
  for _, victim in ipairs(redis.call('ZRANGE', done, 0, over - 1)) do
    removeTask(victim)
    evicted[#evicted + 1] = victim
  end
end
local seq = redis.call('INCR', P .. 'seq')
redis.call('HSET', key, 'seq', seq, 'owner', owner, 'base', ARGV[5], 'runner', ARGV[7])
applyPatch(key, 8)
redis.call('ZADD', all, seq, id)
redis.call('SADD', P .. 'running:' .. ARGV[7], id)
if ARGV[6] ~= '' then redis.call('ZADD', P .. 'expiry', ARGV[6], id) end
return {seq, evicted}
`,
  ),
  /** KEYS: `t:<id>`. ARGV: P, id, field pairs. Returns the task's hash, or `false` if unknown or terminal. */
  fastestmcpTaskUpdate: script(
    1,
    `
local key = KEYS[1]
local state = redis.call('HMGET', key, 'seq', 'fin')
if not state[1] or state[2] then return false end
applyPatch(key, 3)
return redis.call('HGETALL', key)
`,
  ),
  /**
   * KEYS: `t:<first id>`. ARGV: P, the values, then one task id each. The values are 3 lines
   * per task, in the ids' order, joined by "\n" (JSON text never holds a raw newline): the
   * progress JSON, the lastUpdatedAt JSON and the statusMessage JSON (an empty line leaves it).
   * The latest progress of many tasks in one script, each written like fastestmcpTaskUpdate
   * unless the task is unknown or terminal; answers one character per task, "1" written or "0"
   * not, nothing read back. One command and one string of values for a thousand tasks, not a
   * command and three arguments each: a flush of 10,000 tasks cost the client objects for each
   * that stayed alive for the round trip (see RedisTaskStore.updateProgress).
   */
  fastestmcpTaskProgress: script(
    1,
    `
local values, at = ARGV[2], 1
local function nextValue()
  local stop = string.find(values, '\\n', at, true)
  local value
  if stop then
    value = string.sub(values, at, stop - 1)
    at = stop + 1
  else
    value = string.sub(values, at)
    at = #values + 2
  end
  return value
end
local written = {}
for i = 3, #ARGV do
  local progress, updatedAt, message = nextValue(), nextValue(), nextValue()
  local key = P .. 't:' .. ARGV[i]
  local state = redis.call('HMGET', key, 'seq', 'fin')
  if not state[1] or state[2] then
    written[#written + 1] = '0'
  else
    if message == '' then
      redis.call('HSET', key, 'f:progress', progress, 'f:lastUpdatedAt', updatedAt)
    else
      redis.call('HSET', key, 'f:progress', progress, 'f:lastUpdatedAt', updatedAt, 'f:statusMessage', message)
    end
    written[#written + 1] = '1'
  end
end
return table.concat(written)
`,
  ),
  /**
   * KEYS: `t:<id>`. ARGV: P, id, bytes, maxBytes (or "" for no eviction), finishedLogSize, field
   * pairs. Makes the task terminal (the first terminal write wins), charges its owner, evicts the
   * owner's other longest-finished tasks past maxBytes. Returns `{hash, evictedIds}` or `false`.
   */
  fastestmcpTaskComplete: script(
    1,
    `
local key, id = KEYS[1], ARGV[2]
local state = redis.call('HMGET', key, 'owner', 'fin', 'runner')
local owner = state[1]
if not owner or state[2] then return false end
if state[3] then redis.call('SREM', P .. 'running:' .. state[3], id) end
local done = P .. 'done:' .. owner
local fin = redis.call('INCR', P .. 'finseq')
applyPatch(key, 6)
redis.call('HSET', key, 'fin', fin, 'bytes', ARGV[3])
redis.call('ZADD', done, fin, id)
redis.call('ZADD', P .. 'finlog', fin, id)
redis.call('ZREMRANGEBYRANK', P .. 'finlog', 0, -(tonumber(ARGV[5]) + 1))
local total = charge(owner, tonumber(ARGV[3]))
local evicted = {}
if ARGV[4] ~= '' then
  local maxBytes = tonumber(ARGV[4])
  while total > maxBytes do
    local oldest = redis.call('ZRANGE', done, 0, 1)
    local victim = oldest[1]
    if victim == id then victim = oldest[2] end
    if not victim then break end
    total = total - tonumber(redis.call('HGET', P .. 't:' .. victim, 'bytes') or '0')
    removeTask(victim)
    redis.call('ZREM', done, victim)
    evicted[#evicted + 1] = victim
  end
end
return {redis.call('HGETALL', key), evicted}
`,
  ),
  /** KEYS: `all:<owner>`. ARGV: P, after (seq), count. The owner's task hashes with `seq` > after. */
  fastestmcpTaskList: script(
    1,
    `
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf', 'LIMIT', 0, tonumber(ARGV[3]))) do
  local fields = redis.call('HGETALL', P .. 't:' .. id)
  if #fields > 0 then out[#out + 1] = fields end
end
return out
`,
  ),
  /** KEYS: `all:<owner>`. ARGV: P, owner. Returns `{tasks, finished, bytes}`. */
  fastestmcpTaskUsage: script(
    1,
    `
local owner = ARGV[2]
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', P .. 'done:' .. owner), charge(owner, 0)}
`,
  ),
  /** KEYS: `t:<id>`. ARGV: P, id. Returns 1 if the task existed. */
  fastestmcpTaskDelete: script(1, "return removeTask(ARGV[2]) and 1 or 0"),
  /**
   * KEYS: `expiry`. ARGV: P, now, limit. Deletes up to limit tasks with expiresAt <= now.
   * Returns `{entriesScanned, deletedIds}` (an entry whose task is already gone is only dropped).
   */
  fastestmcpTaskExpire: script(
    1,
    `
local scanned = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local ids = {}
for _, id in ipairs(scanned) do
  if removeTask(id) then ids[#ids + 1] = id end
end
return {#scanned, ids}
`,
  ),
  /** KEYS: `finlog`. ARGV: P, cursor (or ""). Returns `{counter, idsFinishedAfterCursor}`. */
  fastestmcpTaskFinished: script(
    1,
    `
local now = tonumber(redis.call('GET', P .. 'finseq') or '0')
if ARGV[2] == '' or tonumber(ARGV[2]) >= now then return {now, {}} end
return {now, redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], now)}
`,
  ),
  /**
   * KEYS: `runners`. ARGV: P, runner, leaseMs, releasing ("1" or "0"). Renews the runner's lease
   * (or, releasing, ends it now), forgets dead runners with no task left, and returns the
   * unfinished task ids of the dead ones (itself too when releasing): the caller fails them.
   */
  fastestmcpTaskBeat: script(
    1,
    `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local runner, releasing = ARGV[2], ARGV[4] == '1'
redis.call('ZADD', KEYS[1], releasing and 0 or now + tonumber(ARGV[3]), runner)
local orphans = {}
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)) do
  if dead ~= runner or releasing then
    local running = P .. 'running:' .. dead
    for _, id in ipairs(redis.call('SMEMBERS', running)) do
      local state = redis.call('HMGET', P .. 't:' .. id, 'seq', 'fin')
      if state[1] and not state[2] then
        orphans[#orphans + 1] = id
      else
        redis.call('SREM', running, id)
      end
    end
    if redis.call('SCARD', running) == 0 then redis.call('ZREM', KEYS[1], dead) end
  end
end
return orphans
`,
  ),
} as const;

export type ScriptName = keyof typeof SCRIPTS;
