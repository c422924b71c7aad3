-- A node's checkpoint of its players in one atomic step; each write fenced by owner == (node, epoch) (rule 6).
-- KEYS: owner 1, session 1, owner 2, session 2, ...
-- ARGV: 1 node, then epoch 1, state 1, epoch 2, state 2, ...
-- Replies: {'DONE', written, fenced index (1-based), ...}
local written = 0
local reply = {'DONE', 0}
for i = 1, #KEYS / 2 do
  local epoch = ARGV[2 * i]
  local owner = redis.call('HMGET', KEYS[2 * i - 1], 'node', 'epoch')
  if owner[1] == ARGV[1] and owner[2] == epoch then
    redis.call('HSET', KEYS[2 * i], 'epoch', epoch, 'state', ARGV[2 * i + 1])
    written = written + 1
  else
    reply[#reply + 1] = i
  end
end
reply[2] = written
return reply
