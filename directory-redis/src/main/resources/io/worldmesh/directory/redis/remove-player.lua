-- A player leaves for good: its owner record and state go, if the caller's owner record is current.
-- KEYS: 1 owner, 2 session, 3 audit, 4 the node's set of owned players
-- ARGV: 1 node, 2 epoch, 3 player id, 4 audit max length
-- Replies: {'WRITTEN'} | {'FENCED'} (no such player) | {'FENCED', node, epoch} (the current owner)
local owner = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not owner[1] then
  return {'FENCED'}
end
if owner[1] ~= ARGV[1] or owner[2] ~= ARGV[2] then
  return {'FENCED', owner[1], owner[2]}
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[4], ARGV[3])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'player', ARGV[3],
  'from_node', ARGV[1], 'from_epoch', ARGV[2], 'to_node', '', 'to_epoch', '', 'token', '')
return {'WRITTEN'}
