package io.worldmesh.directory.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.worldmesh.directory.CasOutcome;
import io.worldmesh.directory.CheckpointOutcome;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.FencedWrite;
import io.worldmesh.directory.GroundTakeover;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.NodeCut;
import io.worldmesh.directory.LeaseOutcome;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.directory.OwnershipChange;
import io.worldmesh.directory.SessionRecord;
import io.worldmesh.directory.SessionWrite;
import io.worldmesh.directory.SettingsCheck;
import io.worldmesh.directory.TakeoverOutcome;
import io.worldmesh.directory.VersionedValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The directory across processes: every record in one Redis primary, which HANDOVER-RULES rule 1 requires to run
 * with {@code appendfsync always}, and is never read through a replica or a cache. Every change of more than one
 * key is one Lua script (resources beside this class, loaded at connect and run by EVALSHA), so each is atomic.
 *
 * <h2>Keys</h2>
 * Under {@code <namespace>:} (several clusters, or tests, may share one server):
 * <pre>
 * owner:{p}            hash   node, epoch
 * session:{p}          hash   epoch, state (the player's bytes, as they are)
 * decision:{p}:TOKEN   string COMMIT | ABORT, expiring after {@link RedisDirectorySettings#decisionTtl} (1 h)
 * cell-assignment      hash   table (JSON rows cx, cz, node), version
 * nodes                hash   node id -> {"baseUrl", "incarnation"}
 * incarnation          counter (INCR)
 * settings             string the ClusterSettings as JSON, written once (SET NX)
 * game:KEY             hash   value, version
 * audit                stream of ownership changes, trimmed to about 100 000 entries (XADD MAXLEN ~)
 * </pre>
 * Every key of a player carries the hash tag {@code {p}} (see {@link RedisKeys}), so that they would stay on one
 * shard if the store were ever sharded. The audit stream is the one cross-player key that scripts write beside a
 * player's keys: fine on the single primary the rules require. Under Redis Cluster those scripts would fail with
 * CROSSSLOT; the audit would then have to become per player ({@code audit:{p}}, merged by time when read) or be
 * written outside the atomic step, while the commit itself (owner, decision, session: one slot) would stay one
 * script. The global records (assignment, nodes, incarnation, settings, game keys) are single-key operations, or
 * one script over {@code nodes} and {@code incarnation}, which would need a shared tag of their own.
 *
 * <h2>Bounds and failures</h2>
 * Values use Lettuce's {@code ByteArrayCodec} (keys are UTF-8 strings): the player's state is stored as the very
 * bytes it is, binary-safe through Lua, without base64's third more. Every call returns at once; its stage
 * completes within {@link RedisDirectorySettings#commandTimeout} (2 s by default):
 * <ul>
 *   <li>Redis does not answer in time: {@code RedisCommandTimeoutException};</li>
 *   <li>the connection is down (Lettuce reconnects in the background, with pauses up to
 *       {@link RedisDirectorySettings#maxReconnectDelay}): at once, {@code RedisException} "Currently not
 *       connected"; nothing is queued for later, and a command in flight when the connection drops fails with
 *       "Connection disconnected" rather than being sent again;</li>
 *   <li>more than {@link RedisDirectorySettings#requestQueueSize} commands await replies: at once,
 *       {@code RedisException} "... size exceeded".</li>
 * </ul>
 * A failed change may or may not have happened (the reply, not the write, may be what was lost). A caller treats
 * a failed commit as a timeout, which decides nothing (rule 2): it resolves the token when Redis answers again.
 * Completions run on Lettuce's I/O thread: callers hand them on (as a simulation thread's mailbox does) and never
 * block in them.
 */
public final class RedisDirectory implements Directory {

    private static final byte[] ABORT = bytes(Decision.ABORT.name());

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final RedisKeys keys;
    private final DirectoryScripts scripts;
    private final RedisDirectorySettings settings;
    private boolean closed;

    private RedisDirectory(ClientResources resources, RedisClient client,
                           StatefulRedisConnection<String, byte[]> connection, RedisKeys keys,
                           DirectoryScripts scripts, RedisDirectorySettings settings) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.redis = connection.async();
        this.keys = keys;
        this.scripts = scripts;
        this.settings = settings;
    }

    /** {@link #connect(String, String, RedisDirectorySettings)} with the default bounds. */
    public static RedisDirectory connect(String uri, String namespace) {
        return connect(uri, namespace, RedisDirectorySettings.DEFAULTS);
    }

    /**
     * Connects to {@code uri} ({@code redis://HOST:PORT}) and loads the scripts: for a process's start, so it waits,
     * for at most the command timeout per step, and throws {@code RedisConnectionException} when Redis is unreachable.
     *
     * @param namespace prefix of every key, without braces
     */
    public static RedisDirectory connect(String uri, String namespace, RedisDirectorySettings settings) {
        return connect(uri, namespace, settings, Optional.empty());
    }

    /** As above, logging in with {@code auth} (else with what {@code uri} says, if anything). */
    public static RedisDirectory connect(String uri, String namespace, RedisDirectorySettings settings,
                                         Optional<RedisAuth> auth) {
        RedisKeys keys = new RedisKeys(namespace);
        DirectoryScripts scripts = DirectoryScripts.load();
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(DefaultClientResources.MIN_IO_THREADS) // one connection needs one event loop
                .computationThreadPoolSize(DefaultClientResources.MIN_COMPUTATION_THREADS)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), settings.maxReconnectDelay(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(settings.commandTimeout());
        auth.ifPresent(a -> {
            if (a.username() == null) {
                redisUri.setAuthentication(a.password());
            } else {
                redisUri.setAuthentication(a.username(), a.password());
            }
        });
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(clientOptions(settings));
        try {
            StatefulRedisConnection<String, byte[]> connection =
                    client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            for (LuaScript script : scripts.all()) {
                String sha = connection.sync().scriptLoad(script.body());
                if (!script.sha().equals(sha)) {
                    throw new IllegalStateException("Redis loaded " + script.name() + " as " + sha + ", expected "
                            + script.sha());
                }
            }
            return new RedisDirectory(resources, client, connection, keys, scripts, settings);
        } catch (RuntimeException e) {
            shutdown(client, resources);
            throw e;
        }
    }

    private static ClientOptions clientOptions(RedisDirectorySettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected rather than buffer without bound; it also keeps Lettuce from
                // sending a command again after a reconnect, so a change runs at most once.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(settings.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).build())
                // Maintenance notifications would relax the timeouts; an OSS primary sends none anyway.
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    RedisKeys keys() {
        return keys;
    }

    RedisDirectorySettings settings() {
        return settings;
    }

    @Override
    public CompletionStage<SettingsCheck> registerSettings(ClusterSettings mine, boolean compareSecret) {
        // SET NX GET: writes ours if there are none, and answers what was there, in one command.
        return call(() -> redis.setGet(keys.settings(), DirectoryJson.settings(mine), SetArgs.Builder.nx())
                .thenApply(previous -> {
                    if (previous == null) {
                        return new SettingsCheck.Agreed(mine);
                    }
                    ClusterSettings cluster = DirectoryJson.settings(previous);
                    List<String> differences = cluster.differences(mine, compareSecret);
                    return differences.isEmpty() ? new SettingsCheck.Agreed(cluster)
                            : new SettingsCheck.Differs(cluster, differences);
                }));
    }

    @Override
    public CompletionStage<Optional<ClusterSettings>> clusterSettings() {
        return call(() -> redis.get(keys.settings())
                .thenApply(stored -> Optional.ofNullable(stored).map(DirectoryJson::settings)));
    }

    @Override
    public CompletionStage<CellAssignment> proposeAssignment(CellAssignment proposed) {
        return call(() -> scripts.proposeAssignment().<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[]{keys.cellAssignment()}, DirectoryJson.cellTable(proposed),
                        bytes(Long.toString(proposed.version())))
                .thenApply(stored -> DirectoryJson.assignment((byte[]) stored.get(0),
                        Long.parseLong(text((byte[]) stored.get(1))))));
    }

    @Override
    public CompletionStage<Optional<CellAssignment>> replaceAssignment(long expectedVersion, CellAssignment next) {
        next.requireAbove(expectedVersion);
        return call(() -> scripts.replaceAssignment().<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[]{keys.cellAssignment()}, bytes(Long.toString(expectedVersion)),
                        DirectoryJson.cellTable(next), bytes(Long.toString(next.version())))
                .thenApply(RedisDirectory::storedAssignment));
    }

    /** A script's {table, version} answer. */
    private static Optional<CellAssignment> storedAssignment(List<Object> stored) {
        return stored.get(0) == null ? Optional.empty()
                : Optional.of(DirectoryJson.assignment((byte[]) stored.get(0), Long.parseLong(text((byte[]) stored.get(1)))));
    }

    @Override
    public CompletionStage<Optional<CellAssignment>> moveCellsOfDead(String deadNode, long deadIncarnation,
                                                                    long expectedVersion, CellAssignment next) {
        next.requireAbove(expectedVersion);
        return call(() -> scripts.moveCellsOfDead().<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[]{keys.cellAssignment(), keys.lease(deadNode), keys.leaseFence(deadNode),
                                keys.leaseLast(deadNode)},
                        bytes(Long.toString(expectedVersion)), DirectoryJson.cellTable(next),
                        bytes(Long.toString(next.version())), bytes(Long.toString(deadIncarnation)))
                .thenApply(RedisDirectory::storedAssignment));
    }

    @Override
    public CompletionStage<Optional<CellAssignment>> assignment() {
        return call(() -> redis.hmget(keys.cellAssignment(), "table", "version").thenApply(fields -> {
            Map<String, byte[]> values = present(fields);
            return values.containsKey("table")
                    ? Optional.of(DirectoryJson.assignment(values.get("table"),
                    Long.parseLong(text(values.get("version")))))
                    : Optional.empty();
        }));
    }

    @Override
    public CompletionStage<NodeEndpoint> registerNode(String nodeId, String baseUrl) {
        return call(() -> scripts.registerNode().<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[]{keys.nodes(), keys.incarnation()}, bytes(nodeId), bytes(baseUrl))
                .thenApply(incarnation -> new NodeEndpoint(nodeId, baseUrl, incarnation)));
    }

    @Override
    public CompletionStage<Map<String, NodeEndpoint>> nodes() {
        return call(() -> redis.hgetall(keys.nodes()).thenApply(all -> {
            Map<String, NodeEndpoint> nodes = new HashMap<>();
            all.forEach((id, json) -> nodes.put(id, DirectoryJson.endpoint(id, json)));
            return Map.copyOf(nodes);
        }));
    }

    @Override
    public CompletionStage<CreateOutcome> createPlayer(String playerId, String node, byte[] state) {
        return call(() -> reply(scripts.createPlayer(),
                new String[]{keys.owner(playerId), keys.session(playerId), keys.audit(), keys.owned(node)},
                bytes(node), state.clone(), bytes(playerId), auditMaxLength())
                .thenApply(r -> switch (r.kind()) {
                    case "CREATED" -> new CreateOutcome.Created(r.ownerAt(0).orElseThrow());
                    case "EXISTS" -> new CreateOutcome.AlreadyExists(r.ownerAt(0).orElseThrow());
                    default -> throw r.unexpected("create-player");
                }));
    }

    @Override
    public CompletionStage<Optional<OwnerRecord>> owner(String playerId) {
        return call(() -> redis.hmget(keys.owner(playerId), "node", "epoch").thenApply(fields -> {
            Map<String, byte[]> values = present(fields);
            return values.containsKey("node")
                    ? Optional.of(new OwnerRecord(text(values.get("node")), Long.parseLong(text(values.get("epoch")))))
                    : Optional.empty();
        }));
    }

    @Override
    public CompletionStage<CommitOutcome> commit(HandoverCommit c) {
        return call(() -> {
            OwnerRecord expected = c.expected();
            OwnerRecord next = expected.next(c.target());
            return reply(scripts.commit(),
                    new String[]{keys.owner(c.playerId()), keys.decision(c.playerId(), c.token()),
                            keys.session(c.playerId()), keys.audit(), keys.owned(expected.node()),
                            keys.owned(next.node())},
                    bytes(expected.node()), bytes(Long.toString(expected.epoch())), bytes(next.node()),
                    bytes(Long.toString(next.epoch())), c.state(), decisionTtlSeconds(), bytes(c.playerId()),
                    bytes(c.token()), auditMaxLength());
        }).thenApply(r -> switch (r.kind()) {
            case "COMMITTED" -> new CommitOutcome.Committed(r.ownerAt(0).orElseThrow());
            case "DECIDED" -> new CommitOutcome.AlreadyDecided(Decision.valueOf(r.values().getFirst()));
            case "NOT_OWNER" -> new CommitOutcome.NotOwner(r.ownerAt(0));
            default -> throw r.unexpected("commit");
        });
    }

    @Override
    public CompletionStage<Decision> resolve(String playerId, String token) {
        // SET NX GET: records ABORT only if there is no decision, and answers the one there was, atomically.
        return call(() -> redis.setGet(keys.decision(playerId, token), ABORT,
                        SetArgs.Builder.nx().ex(settings.decisionTtl().toSeconds()))
                .thenApply(previous -> previous == null ? Decision.ABORT : Decision.valueOf(text(previous))));
    }

    @Override
    public CompletionStage<Optional<Decision>> decision(String playerId, String token) {
        return call(() -> redis.get(keys.decision(playerId, token))
                .thenApply(value -> Optional.ofNullable(value).map(v -> Decision.valueOf(text(v)))));
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> session(String playerId) {
        return call(() -> redis.hmget(keys.session(playerId), "epoch", "state").thenApply(fields -> {
            Map<String, byte[]> values = present(fields);
            return values.containsKey("epoch")
                    ? Optional.of(new SessionRecord(Long.parseLong(text(values.get("epoch"))), values.get("state")))
                    : Optional.empty();
        }));
    }

    @Override
    public CompletionStage<FencedWrite> writeSession(String playerId, long epoch, byte[] state) {
        return call(() -> reply(scripts.writeSession(),
                new String[]{keys.owner(playerId), keys.session(playerId)},
                bytes(Long.toString(epoch)), state.clone())
                .thenApply(RedisDirectory::fencedWrite));
    }

    @Override
    public CompletionStage<FencedWrite> removePlayer(String playerId, OwnerRecord owner) {
        return call(() -> reply(scripts.removePlayer(),
                new String[]{keys.owner(playerId), keys.session(playerId), keys.audit(), keys.owned(owner.node())},
                bytes(owner.node()), bytes(Long.toString(owner.epoch())), bytes(playerId), auditMaxLength())
                .thenApply(RedisDirectory::fencedWrite));
    }

    @Override
    public CompletionStage<LeaseOutcome> holdLease(String nodeId, long incarnation, Duration ttl) {
        return call(() -> reply(scripts.holdLease(),
                new String[]{keys.lease(nodeId), keys.leaseFence(nodeId), keys.leaseLast(nodeId)},
                bytes(Long.toString(incarnation)), bytes(Long.toString(Math.max(1, ttl.toMillis()))))
                .thenApply(r -> switch (r.kind()) {
                    case "HELD" -> new LeaseOutcome.Held();
                    case "HELD_BY_OTHER" -> new LeaseOutcome.HeldByOther(Long.parseLong(r.values().getFirst()));
                    case "TAKEN_OVER" -> new LeaseOutcome.TakenOver();
                    default -> throw r.unexpected("hold-lease");
                }));
    }

    @Override
    public CompletionStage<Boolean> releaseLease(String nodeId, long incarnation) {
        return call(() -> reply(scripts.releaseLease(), new String[]{keys.lease(nodeId)},
                bytes(Long.toString(incarnation))).thenApply(r -> r.kind().equals("RELEASED")));
    }

    @Override
    public CompletionStage<Map<String, Long>> leases() {
        return call(() -> redis.hkeys(keys.nodes()).thenCompose(ids -> {
            if (ids.isEmpty()) {
                return CompletableFuture.completedFuture(Map.<String, Long>of());
            }
            String[] leaseKeys = ids.stream().map(keys::lease).toArray(String[]::new);
            return redis.mget(leaseKeys).thenApply(values -> {
                Map<String, Long> live = new HashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    KeyValue<String, byte[]> v = values.get(i);
                    if (v.hasValue()) {
                        live.put(ids.get(i), Long.parseLong(text(v.getValue())));
                    }
                }
                return Map.copyOf(live);
            });
        }));
    }

    @Override
    public CompletionStage<CheckpointOutcome> checkpoint(NodeCut cut) {
        List<String> scriptKeys = new ArrayList<>();
        List<byte[]> args = new ArrayList<>();
        scriptKeys.addAll(List.of(keys.leaseFence(cut.nodeId()), keys.audit(), keys.owned(cut.nodeId())));
        args.addAll(List.of(bytes(cut.nodeId()), bytes(Long.toString(cut.incarnation())),
                bytes(Integer.toString(cut.ground().size())), bytes(Integer.toString(cut.players().size())),
                bytes(Integer.toString(cut.removals().size())), auditMaxLength()));
        cut.ground().forEach((cell, state) -> {
            scriptKeys.add(keys.ground(cell));
            args.add(state.clone());
        });
        for (SessionWrite w : cut.players()) {
            scriptKeys.add(keys.owner(w.playerId()));
            scriptKeys.add(keys.session(w.playerId()));
            args.add(bytes(Long.toString(w.epoch())));
            args.add(w.state().clone());
        }
        for (NodeCut.Removal r : cut.removals()) {
            scriptKeys.add(keys.owner(r.playerId()));
            scriptKeys.add(keys.session(r.playerId()));
            args.add(bytes(Long.toString(r.epoch())));
            args.add(bytes(r.playerId()));
        }
        return call(() -> reply(scripts.checkpoint(), scriptKeys.toArray(String[]::new), args.toArray(byte[][]::new))
                .thenApply(r -> switch (r.kind()) {
                    case "NODE_FENCED" -> CheckpointOutcome.refusedWhole();
                    case "DONE" -> {
                        List<String> fenced = new ArrayList<>();
                        for (String index : r.values().subList(2, r.values().size())) {
                            fenced.add(cut.players().get(Integer.parseInt(index) - 1).playerId());
                        }
                        yield new CheckpointOutcome(Integer.parseInt(r.values().get(0)), fenced,
                                Integer.parseInt(r.values().get(1)), false);
                    }
                    default -> throw r.unexpected("checkpoint");
                }));
    }

    @Override
    public CompletionStage<GroundTakeover> takeGround(String deadNode, long deadIncarnation, List<String> cells) {
        String[] scriptKeys = new String[3 + cells.size()];
        scriptKeys[0] = keys.lease(deadNode);
        scriptKeys[1] = keys.leaseFence(deadNode);
        scriptKeys[2] = keys.leaseLast(deadNode);
        for (int i = 0; i < cells.size(); i++) {
            scriptKeys[3 + i] = keys.ground(cells.get(i));
        }
        // Not through ScriptReply: the states are binary, and a cell without ground answers nil.
        return call(() -> scripts.takeGround().<List<Object>>run(redis, ScriptOutputType.MULTI, scriptKeys,
                bytes(Long.toString(deadIncarnation))).thenApply(raw -> {
            String kind = raw.isEmpty() || !(raw.getFirst() instanceof byte[] k) ? "" : text(k);
            switch (kind) {
                case "LEASE_LIVE" -> {
                    return new GroundTakeover.LeaseLive(Long.parseLong(text((byte[]) raw.get(1))));
                }
                case "TAKEN" -> {
                    Map<String, byte[]> found = new HashMap<>();
                    for (int i = 0; i < cells.size() && i + 1 < raw.size(); i++) {
                        if (raw.get(i + 1) instanceof byte[] state) {
                            found.put(cells.get(i), state);
                        }
                    }
                    return new GroundTakeover.Taken(found);
                }
                default -> throw new IllegalStateException("unexpected reply from take-ground: " + raw);
            }
        }));
    }

    @Override
    public CompletionStage<Map<String, Long>> playersOf(String nodeId) {
        return call(() -> redis.smembers(keys.owned(nodeId)).thenCompose(members -> {
            List<String> ids = List.copyOf(members.stream().map(RedisDirectory::text).toList());
            List<CompletableFuture<List<KeyValue<String, byte[]>>>> records = new ArrayList<>(ids.size());
            for (String id : ids) { // pipelined on the one connection
                records.add(redis.hmget(keys.owner(id), "node", "epoch").toCompletableFuture());
            }
            return CompletableFuture.allOf(records.toArray(CompletableFuture[]::new)).thenApply(v -> {
                Map<String, Long> mine = new HashMap<>();
                for (int i = 0; i < ids.size(); i++) {
                    Map<String, byte[]> owner = present(records.get(i).join());
                    // The set is kept by the same scripts that change owners; the record is the truth.
                    if (owner.containsKey("node") && text(owner.get("node")).equals(nodeId)) {
                        mine.put(ids.get(i), Long.parseLong(text(owner.get("epoch"))));
                    }
                }
                return Map.copyOf(mine);
            });
        }));
    }

    @Override
    public CompletionStage<TakeoverOutcome> takeOver(String playerId, OwnerRecord from, long deadIncarnation,
                                                   String taker) {
        OwnerRecord next = from.next(taker);
        return call(() -> reply(scripts.takeOver(), new String[]{keys.owner(playerId), keys.session(playerId),
                        keys.audit(), keys.lease(from.node()), keys.leaseFence(from.node()), keys.owned(from.node()),
                        keys.owned(taker), keys.cellAssignment(),
                        keys.leaseLast(from.node())},
                bytes(from.node()), bytes(Long.toString(from.epoch())), bytes(taker), bytes(Long.toString(next.epoch())),
                bytes(Long.toString(deadIncarnation)), bytes(playerId), auditMaxLength())
                .thenCompose(r -> switch (r.kind()) {
                    case "TOOK_OVER" -> session(playerId).thenApply(record -> (TakeoverOutcome)
                            new TakeoverOutcome.TookOver(next, record.orElseThrow().state()));
                    case "NOT_OWNER" -> CompletableFuture.completedFuture(new TakeoverOutcome.NotOwner(r.ownerAt(0)));
                    case "LEASE_LIVE" -> CompletableFuture.completedFuture(
                            new TakeoverOutcome.LeaseLive(Long.parseLong(r.values().getFirst())));
                    default -> throw r.unexpected("take-over");
                }));
    }

    @Override
    public CompletionStage<VersionedValue> gameState(String key) {
        return call(() -> redis.hmget(keys.game(key), "value", "version").thenApply(fields -> {
            Map<String, byte[]> values = present(fields);
            return values.containsKey("version")
                    ? new VersionedValue(text(values.get("value")), Long.parseLong(text(values.get("version"))))
                    : VersionedValue.ABSENT;
        }));
    }

    @Override
    public CompletionStage<CasOutcome> compareAndSetGameState(String key, long expectedVersion, String value) {
        return call(() -> reply(scripts.casGameState(), new String[]{keys.game(key)},
                bytes(Long.toString(expectedVersion)), bytes(value), bytes(Long.toString(expectedVersion + 1)))
                .thenApply(r -> {
                    VersionedValue current = new VersionedValue(r.values().get(0), Long.parseLong(r.values().get(1)));
                    return switch (r.kind()) {
                        case "SWAPPED" -> new CasOutcome.Swapped(current);
                        case "CONFLICT" -> new CasOutcome.Conflict(current);
                        default -> throw r.unexpected("cas-game-state");
                    };
                }));
    }

    @Override
    public CompletionStage<List<OwnershipChange>> audit(int limit) {
        if (limit <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return call(() -> redis.xrevrange(keys.audit(), Range.<String>unbounded(), Limit.from(limit))
                .thenApply(newestFirst -> {
                    List<OwnershipChange> changes = new ArrayList<>(newestFirst.size());
                    for (StreamMessage<String, byte[]> entry : newestFirst) {
                        changes.add(AuditEntries.change(entry));
                    }
                    Collections.reverse(changes);
                    return List.copyOf(changes);
                }));
    }

    /** Closes the connection; calls still in flight complete exceptionally. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        connection.close();
        shutdown(client, resources);
    }

    private static void shutdown(RedisClient client, ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private CompletionStage<ScriptReply> reply(LuaScript script, String[] scriptKeys, byte[]... args) {
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, scriptKeys, args).thenApply(ScriptReply::of);
    }

    private static FencedWrite fencedWrite(ScriptReply r) {
        return switch (r.kind()) {
            case "WRITTEN" -> new FencedWrite.Written();
            case "FENCED" -> new FencedWrite.Fenced(r.ownerAt(0));
            default -> throw r.unexpected("fenced write");
        };
    }

    /** A call that Lettuce refuses synchronously (a closed connection, say) still answers with a failed stage. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedStage(e);
        }
    }

    private byte[] decisionTtlSeconds() {
        return bytes(Long.toString(settings.decisionTtl().toSeconds()));
    }

    private byte[] auditMaxLength() {
        return bytes(Long.toString(settings.auditMaxLength()));
    }

    private static Map<String, byte[]> present(List<KeyValue<String, byte[]>> fields) {
        Map<String, byte[]> values = new HashMap<>();
        for (KeyValue<String, byte[]> field : fields) {
            if (field.hasValue()) {
                values.put(field.getKey(), field.getValue());
            }
        }
        return values;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
