-- A write of the player's state, fenced by the writer's epoch (HANDOVER-RULES rule 6).
-- KEYS: 1 owner, 2 session
-- ARGV: 1 writer's epoch, 2 state
-- Replies: {'WRITTEN'} | {'FENCED'} (no such player) | {'FENCED', node, epoch} (the current owner)
local owner = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not owner[1] then
  return {'FENCED'}
end
if owner[2] ~= ARGV[1] then
  return {'FENCED', owner[1], owner[2]}
end
redis.call('HSET', KEYS[2], 'epoch', ARGV[1], 'state', ARGV[2])
return {'WRITTEN'}
