-- The commit point of a handover (HANDOVER-RULES rules 1 and 5), in one atomic step.
-- KEYS: 1 owner, 2 decision, 3 session, 4 audit, 5 the source's set of owned players, 6 the target's
-- ARGV: 1 expected node, 2 expected epoch, 3 target node, 4 next epoch, 5 frozen state,
--       6 decision TTL (seconds), 7 player id, 8 token, 9 audit max length
-- Replies: {'DECIDED', decision} | {'NOT_OWNER'} | {'NOT_OWNER', node, epoch} | {'COMMITTED', node, epoch}
-- Epochs travel as decimal strings written by the caller, so nothing depends on Lua's number formatting.
-- Every check comes before the first write: a script that stops early changes nothing.
local decided = redis.call('GET', KEYS[2])
if decided then
  return {'DECIDED', decided}
end
local owner = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not owner[1] then
  return {'NOT_OWNER'}
end
if owner[1] ~= ARGV[1] or owner[2] ~= ARGV[2] then
  return {'NOT_OWNER', owner[1], owner[2]}
end
redis.call('HSET', KEYS[1], 'node', ARGV[3], 'epoch', ARGV[4])
redis.call('SET', KEYS[2], 'COMMIT', 'EX', ARGV[6])
redis.call('HSET', KEYS[3], 'epoch', ARGV[4], 'state', ARGV[5])
redis.call('SREM', KEYS[5], ARGV[7])
redis.call('SADD', KEYS[6], ARGV[7])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'player', ARGV[7],
  'from_node', ARGV[1], 'from_epoch', ARGV[2], 'to_node', ARGV[3], 'to_epoch', ARGV[4], 'token', ARGV[8])
return {'COMMITTED', ARGV[3], ARGV[4]}
