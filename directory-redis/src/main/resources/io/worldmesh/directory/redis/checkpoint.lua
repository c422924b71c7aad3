-- A node's checkpoint as one consistent cut, in one atomic step: its cells' ground, its players' states, and the
-- removals of players who left for good. Refused whole when the writing incarnation is below the node's lease fence
-- (a takeover raised it); each player write and removal is fenced by owner == (node, epoch) besides (rule 6).
-- KEYS: 1 the node's lease fence, 2 audit, 3 the node's set of owned players, then g ground keys,
--       then owner, session for each of w writes, then owner, session for each of r removals
-- ARGV: 1 node, 2 incarnation, 3 g, 4 w, 5 r, 6 audit max length, then g ground states,
--       then epoch, state for each write, then epoch, player id for each removal
-- Replies: {'NODE_FENCED', fence} | {'DONE', written, removed, fenced write index (1-based), ...}
local fence = redis.call('GET', KEYS[1])
if fence and tonumber(ARGV[2]) < tonumber(fence) then
  return {'NODE_FENCED', fence}
end
local g, w, r = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for i = 1, g do
  redis.call('HSET', KEYS[3 + i], 'node', ARGV[1], 'incarnation', ARGV[2], 'state', ARGV[6 + i])
end
local reply = {'DONE', 0, 0}
local written = 0
for i = 1, w do
  local k = 3 + g + 2 * i
  local a = 6 + g + 2 * i
  local owner = redis.call('HMGET', KEYS[k - 1], 'node', 'epoch')
  if owner[1] == ARGV[1] and owner[2] == ARGV[a - 1] then
    redis.call('HSET', KEYS[k], 'epoch', ARGV[a - 1], 'state', ARGV[a])
    written = written + 1
  else
    reply[#reply + 1] = i
  end
end
local removed = 0
for i = 1, r do
  local k = 3 + g + 2 * w + 2 * i
  local a = 6 + g + 2 * w + 2 * i
  local owner = redis.call('HMGET', KEYS[k - 1], 'node', 'epoch')
  if owner[1] == ARGV[1] and owner[2] == ARGV[a - 1] then
    redis.call('DEL', KEYS[k - 1], KEYS[k])
    redis.call('SREM', KEYS[3], ARGV[a])
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'player', ARGV[a],
      'from_node', ARGV[1], 'from_epoch', ARGV[a - 1], 'to_node', '', 'to_epoch', '', 'token', '')
    removed = removed + 1
  end
end
reply[2] = written
reply[3] = removed
return reply
