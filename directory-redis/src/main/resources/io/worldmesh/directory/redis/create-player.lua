-- A new player's first owner record (node, 1) and its initial state, only if the id is free.
-- KEYS: 1 owner, 2 session, 3 audit, 4 the node's set of owned players
-- ARGV: 1 node, 2 initial state, 3 player id, 4 audit max length
-- Replies: {'EXISTS', node, epoch} | {'CREATED', node, '1'}
local owner = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if owner[1] then
  return {'EXISTS', owner[1], owner[2]}
end
redis.call('HSET', KEYS[1], 'node', ARGV[1], 'epoch', '1')
redis.call('HSET', KEYS[2], 'epoch', '1', 'state', ARGV[2])
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'player', ARGV[3],
  'from_node', '', 'from_epoch', '', 'to_node', ARGV[1], 'to_epoch', '1', 'token', '')
return {'CREATED', ARGV[1], '1'}
