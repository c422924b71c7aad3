-- Registers a node's endpoint under a new incarnation number, unique per start of any node.
-- KEYS: 1 nodes, 2 incarnation counter
-- ARGV: 1 node id, 2 base URL
-- Reply: the incarnation (integer). The stored endpoint is JSON: {"baseUrl": ..., "incarnation": n}
-- (cjson writes integers exactly up to 10^14, far beyond any count of node starts).
local incarnation = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({baseUrl = ARGV[2], incarnation = incarnation}))
return incarnation
