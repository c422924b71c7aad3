package io.worldmesh.engine;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellRef;
import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterState;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.ClusterView;
import io.worldmesh.api.Entity;
import io.worldmesh.api.EntitySpec;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GameEvent;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.WorldBounds;
import io.worldmesh.api.ViewContext;
import io.worldmesh.api.WorldView;
import io.worldmesh.engine.session.PropertySchema;
import io.worldmesh.engine.session.SessionData;
import io.worldmesh.engine.session.SessionDataException;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.handover.PlayerState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The simulated world of one node: the whole grid of cells, of which the node owns some ({@link WorldPlacement});
 * only owned cells hold players and a game's entities. Advanced one cluster-wide tick at a time. A player who
 * crosses into a cell another node owns is held at the border or frozen for a handover, as the
 * {@link CrossingPolicy} decides; the node core runs the handover and ends it with {@link #depart} or
 * {@link #unfreeze} here and {@link #stage} and {@link #arrive} on the target.
 *
 * <p>Single-threaded by design: the thread that runs {@link #step()} is the only one that may call any method.
 * No sockets, threads or clocks.
 */
public final class World implements WorldView {

    /** Why a player {@link #unfreeze unfrozen} after an abort is held at the border until its retry tick. */
    public static final String RETRY_REASON = "handover retry";
    /** How far inside the hysteresis margin a held player is kept, so that it never reaches the margin. */
    private static final double HOLD_SLACK_M = 1e-3;
    private static final String[] PLAYER_COLORS = {
        "#5b8def", "#e0605e", "#4cc38a", "#b57edc", "#f08a4b", "#e86fa6", "#9ccc65", "#8e9bff",
    };

    private final WorldSettings settings;
    private final WorldPlacement placement;
    private final Game game;
    private final PropertySchema schema;
    private final PropertySchema entitySchema;
    private final Grid grid;
    private final Map<String, Player> players = new LinkedHashMap<>();
    private final Map<Long, WorldEntity> entities = new LinkedHashMap<>();
    private final RandomGenerator random;
    private final Context context = new Context();
    private final EngineStats stats = new EngineStats();
    private final double stepM;
    private final Map<String, ActionSpec> actionSpecs = new HashMap<>();
    private final ClusterStateQueue cluster = new ClusterStateQueue();
    /** Serves this world's cluster state when no driver does (the single-process constructor); else null. */
    private final LocalClusterState selfServed;
    private WorldListener listener = WorldListener.NONE;
    private CrossingPolicy crossingPolicy = CrossingPolicy.HOLD;
    private long tick;
    private long nextPlayer = 1;
    private long nextEntity = 1;
    private long groundChanges;

    /**
     * One process holding the whole world: every cell, from tick 0, incarnation 0. It serves its own cluster
     * state from memory, so games that use it work without a driver.
     */
    public World(WorldSettings settings, Game game) {
        this(settings, game, WorldPlacement.wholeGrid(settings), true);
    }

    /**
     * A world owning {@code placement}'s cells, driven by a node core, which drains its cluster state operations
     * after every step ({@link #drainClusterOps()}) and delivers the answers ({@link #deliverClusterState}).
     */
    public World(WorldSettings settings, Game game, WorldPlacement placement) {
        this(settings, game, placement, false);
    }

    private World(WorldSettings settings, Game game, WorldPlacement placement, boolean selfServed) {
        this.settings = settings;
        this.placement = placement;
        this.game = game;
        // The whole world is here: a player not in it has left (ids are never used again).
        this.selfServed = selfServed ? new LocalClusterState(id -> player(id).isEmpty()) : null;
        this.schema = sessionSchemaOf(game);
        this.entitySchema = new PropertySchema(game.entityProperties());
        this.random = new SplittableRandom(settings.seed());
        this.stepM = settings.maxSpeedMps() * settings.tickSeconds();
        this.grid = new Grid(settings, placement.ownedCells());
        this.tick = placement.startTick();
        for (ActionSpec spec : game.actions()) {
            actionSpecs.put(spec.name(), spec);
        }
        for (Cell cell : grid.owned()) {
            game.startCell(cell, context);
        }
    }

    public void setListener(WorldListener listener) {
        this.listener = listener;
    }

    /** Who decides what happens when a player crosses into a cell this world does not own; by default: hold. */
    public void setCrossingPolicy(CrossingPolicy policy) {
        this.crossingPolicy = policy;
    }

    public WorldSettings settings() {
        return settings;
    }

    public WorldPlacement placement() {
        return placement;
    }

    public Game game() {
        return game;
    }

    public PropertySchema schema() {
        return schema;
    }

    public PropertySchema entitySchema() {
        return entitySchema;
    }

    public EngineStats stats() {
        return stats;
    }

    @Override
    public long tick() {
        return tick;
    }

    @Override
    public long joined() {
        return stats.joins();
    }

    @Override
    public long left() {
        return stats.leaves();
    }

    public boolean owns(CellRef cell) {
        return grid.owns(cell);
    }

    /** The cell under a point, clamped into the grid; owned here or not. */
    public CellRef cellUnder(double x, double z) {
        return grid.cellUnder(x, z).ref();
    }

    /** The owned cells, in grid order. */
    public List<CellRef> ownedCells() {
        return grid.ownedRefs();
    }

    /**
     * Takes {@code cells} over from a node that died, each started by the game as at a node's start. Returns the
     * cells that were not owned here before.
     */
    public List<CellRef> adoptCells(java.util.Collection<CellRef> cells) {
        return adoptCells(cells, Map.of()).adopted();
    }

    /** What adopting or restoring cells did: which cells came back from their record, which the game started. */
    public record GroundRestore(List<CellRef> adopted, List<CellRef> restored, Map<CellRef, String> refused) {
    }

    /**
     * Takes {@code cells} over from a node that died: each becomes owned here with the entities of its record in
     * {@code ground} (its last checkpoint), or, without a record or with one this game refuses, is started by the
     * game as at a node's start.
     */
    public GroundRestore adoptCells(java.util.Collection<CellRef> cells, Map<CellRef, byte[]> ground) {
        List<CellRef> restored = new ArrayList<>();
        Map<CellRef, String> refused = new LinkedHashMap<>();
        List<Cell> adopted = grid.adopt(cells);
        for (Cell cell : adopted) {
            byte[] record = ground.get(cell.ref());
            if (record == null || !restoreCell(cell, record, refused)) {
                game.startCell(cell, context);
            } else {
                restored.add(cell.ref());
            }
        }
        return new GroundRestore(adopted.stream().map(Cell::ref).toList(), restored, refused);
    }

    /**
     * Puts owned cells' entities back as their records hold them (a restarted node taking back its ground),
     * replacing what the game started them with; a cell whose record this game refuses keeps what it has.
     */
    public GroundRestore restoreGround(Map<CellRef, byte[]> ground) {
        List<CellRef> restored = new ArrayList<>();
        Map<CellRef, String> refused = new LinkedHashMap<>();
        ground.forEach((ref, record) -> {
            if (grid.owns(ref) && restoreCell(grid.cell(ref), record, refused)) {
                restored.add(ref);
            }
        });
        return new GroundRestore(List.of(), restored, refused);
    }

    private boolean restoreCell(Cell cell, byte[] record, Map<CellRef, String> refused) {
        List<GroundCodec.Decoded> decoded;
        try {
            decoded = GroundCodec.decode(record, entitySchema);
        } catch (SessionDataException e) {
            refused.put(cell.ref(), e.getMessage());
            return false;
        }
        for (WorldEntity e : List.copyOf(cell.entities)) {
            entities.remove(e.id());
            e.cell = null;
        }
        cell.entities.clear();
        for (GroundCodec.Decoded d : decoded) {
            WorldEntity e = new WorldEntity(d.id(), d.kind(), d.label(), d.color(), d.radius(), d.x(), d.z(),
                    d.properties());
            e.cell = cell; // where it was cut, even if its point has drifted onto a neighbour
            cell.entities.add(e);
            entities.put(e.id(), e);
        }
        groundChanges++;
        return true;
    }

    /**
     * {@code state} moved to the nearest point of an owned cell when its position lies in a cell this node does not
     * own, else {@code state} itself. A player checkpointed while frozen for a handover stands the hysteresis margin
     * past the border, in the target's cell; restored by a node that does not own that cell (its source started
     * again, or a third node taking the source over) it is put back at the border, as an abort would.
     */
    public PlayerState placedInOwnedCells(PlayerState state) {
        if (grid.owned().isEmpty() || grid.cellUnder(state.x(), state.z()).owned) {
            return state;
        }
        double[] at = grid.ownedPoint(state.x(), state.z());
        return new PlayerState(state.playerId(), state.name(), state.color(), at[0], at[1], 0, 0, state.yaw(), 0, 0,
                state.lastAppliedSeq(), state.appliedInputs(), state.cellEnteredTick(), state.tick(), state.epoch(),
                state.sessionData());
    }

    /** The entities on an owned cell's ground, encoded for a checkpoint. */
    public byte[] groundOf(CellRef cell) {
        return GroundCodec.encode(grid.cell(cell).entities);
    }

    /**
     * Grows whenever game state changes: a property of a player or an entity set, an entity spawned, removed or
     * restored. Positions do not count. A checkpoint taken at version v covers every change up to v.
     */
    public long gameStateVersion() {
        return schema.changes() + entitySchema.changes() + groundChanges;
    }

    // ---- players: join, connection, leave, input -------------------------------------------------------------

    /** A new player at a random point of a random owned cell (the node that owns the spawn cell creates it). */
    public Player join(String name) {
        Player p = newcomer(name);
        admit(p);
        return p;
    }

    /**
     * A new player at a given place (clamped into the world): for scenarios, tests and benchmarks.
     *
     * @throws IllegalArgumentException when the place is in a cell this world does not own
     */
    public Player join(String name, double atX, double atZ) {
        Player p = newcomer(name, atX, atZ);
        admit(p);
        return p;
    }

    /**
     * A new player with its id and spawn place, not in the world yet: nothing sees it and it touches nothing until
     * {@link #admit}. A node admits it once the directory holds its owner record, so that a player the directory has
     * never heard of cannot pick anything up that a crash would then lose with it.
     */
    public Player newcomer(String name) {
        if (grid.owned().isEmpty()) {
            throw new IllegalStateException("this world owns no cell to join '" + name + "' in");
        }
        Cell cell = grid.owned().get(random.nextInt(grid.owned().size()));
        double size = settings.cellSizeM();
        return newcomer(name, cell.minX + random.nextDouble(size), cell.minZ + random.nextDouble(size));
    }

    private Player newcomer(String name, double atX, double atZ) {
        double x = grid.clampX(atX);
        double z = grid.clampZ(atZ);
        Cell cell = grid.cellUnder(x, z);
        if (!cell.owned) {
            throw new IllegalArgumentException("cannot join '" + name + "' at " + x + "," + z + ": cell "
                    + cell.ref() + " is not owned by this world");
        }
        long n = nextPlayer++;
        String id = placement.incarnation() == 0 ? "p" + n : "p" + placement.incarnation() + "-" + n;
        Player p = new Player(id, name, PLAYER_COLORS[(int) (n % PLAYER_COLORS.length)], schema.initial(), x, z);
        p.cell = cell;
        return p;
    }

    /** A newcomer's state as it joins: what the directory stores with its first owner record. */
    public PlayerState stateOfNewcomer(Player newcomer) {
        return PlayerStates.of(newcomer, tick);
    }

    /**
     * The newcomer joins the game where it was to spawn (or, should that cell no longer be this world's, in one that
     * is); the game's {@code onJoin} runs for it.
     *
     * @throws IllegalStateException when it is in the world already
     */
    public void admit(Player newcomer) {
        if (players.containsKey(newcomer.id())) {
            throw new IllegalStateException("player " + newcomer.id() + " is in the world already");
        }
        if (!newcomer.cell.owned) {
            Cell cell = grid.owned().get(random.nextInt(grid.owned().size()));
            newcomer.x = cell.minX + settings.cellSizeM() / 2;
            newcomer.z = cell.minZ + settings.cellSizeM() / 2;
            newcomer.cell = cell;
        }
        newcomer.cellEnteredTick = tick;
        newcomer.cell.players.add(newcomer);
        players.put(newcomer.id(), newcomer);
        stats.joins.incrementAndGet();
        game.onJoin(newcomer, context);
    }

    /**
     * The player's connection is gone: it stops and waits for the resume window to pass. A frozen player keeps its
     * state as handed over (it stops when unfrozen) and does not leave while frozen.
     */
    public void disconnect(String playerId) {
        Player p = players.get(playerId);
        if (p != null && p.connected) {
            p.connected = false;
            if (!p.frozen) {
                p.moveX = 0;
                p.moveZ = 0;
            }
            p.leaveAtTick = tick + settings.resumeWindowTicks();
        }
    }

    /** Takes back a disconnected (or still connected) player; empty if it has left the world. */
    public Optional<Player> resume(String playerId) {
        Player p = players.get(playerId);
        if (p == null) {
            return Optional.empty();
        }
        p.connected = true;
        p.leaveAtTick = Long.MAX_VALUE;
        return Optional.of(p);
    }

    /**
     * Removes a player for good; the game takes back what it held.
     *
     * @throws IllegalStateException for a player frozen for a handover: end the handover first
     */
    public boolean leave(String playerId) {
        Player p = players.get(playerId);
        if (p == null) {
            return false;
        }
        if (p.frozen) {
            throw new IllegalStateException("player " + playerId + " is frozen for a handover and cannot leave");
        }
        players.remove(playerId);
        try {
            game.onLeave(p, context);
        } finally {
            p.cell.players.remove(p);
            stats.leaves.incrementAndGet();
            listener.onLeft(playerId);
        }
        return true;
    }

    /**
     * Applies one input at once: its direction and yaw drive the player from the next movement step on. Each seq
     * is applied at most once and in increasing order; anything else changes nothing. A frozen player takes none.
     */
    public InputOutcome applyInput(String playerId, ClientMessage.Input input) {
        Player p = players.get(playerId);
        if (p == null) {
            stats.unknownPlayerInputs.incrementAndGet();
            return InputOutcome.UNKNOWN_PLAYER;
        }
        if (p.frozen) {
            stats.frozenInputs.incrementAndGet();
            return InputOutcome.FROZEN;
        }
        if (input.seq() <= p.lastAppliedSeq) {
            stats.staleInputs.incrementAndGet();
            return InputOutcome.STALE;
        }
        Action action = input.action() == null ? null : new Action(input.action().name(), input.action().fields());
        if (action != null && problemWith(action).isPresent()) {
            stats.badActions.incrementAndGet();
            return InputOutcome.BAD_ACTION;
        }
        double mx = input.move().x();
        double mz = input.move().z();
        double len = Math.hypot(mx, mz);
        if (!(len <= 1)) { // also catches NaN: the decoder clamps, but the engine trusts no one
            mx = len > 1 ? mx / len : 0;
            mz = len > 1 ? mz / len : 0;
        }
        p.moveX = mx;
        p.moveZ = mz;
        p.yaw = Double.isFinite(input.yaw()) ? input.yaw() : p.yaw;
        p.lastAppliedSeq = input.seq();
        p.appliedInputs++;
        stats.appliedInputs.incrementAndGet();
        if (action != null) {
            stats.appliedActions.incrementAndGet();
            game.onAction(p, action, context);
        }
        if (input.pos() != null
                && Math.hypot(input.pos().x() - p.x, input.pos().z() - p.z) > settings.teleportToleranceM()) {
            stats.teleportAttempts.incrementAndGet();
            return InputOutcome.APPLIED_TELEPORT_IGNORED;
        }
        return InputOutcome.APPLIED;
    }

    /** Empty when the game declares this action with exactly these fields; otherwise what is wrong. */
    public Optional<String> actionProblem(ClientMessage.GameAction action) {
        return problemWith(new Action(action.name(), action.fields()));
    }

    private Optional<String> problemWith(Action action) {
        ActionSpec spec = actionSpecs.get(action.name());
        if (spec == null) {
            return Optional.of("game '" + game.name() + "' has no action '" + action.name() + "'");
        }
        return spec.check(action);
    }

    // ---- the tick ------------------------------------------------------------------------------------------

    /** Advances the world to the next tick. */
    public void step() {
        advanceTo(tick + 1);
    }

    /**
     * Advances the world by one step to cluster-wide tick {@code next}, skipping the numbers in between: a driver
     * that fell behind catches up in tick numbers, not in a burst of steps. Cluster state replies, movement,
     * crossings, the game's rules, departures of disconnected players.
     */
    public void advanceTo(long next) {
        if (next <= tick) {
            throw new IllegalArgumentException("tick " + next + " is not after the current tick " + tick);
        }
        long skipped = next - tick - 1;
        if (skipped > 0) {
            // Ticks this world did not run (a pause, a hang, a lease lapse) do not count against the resume window:
            // a client could not have resumed here meanwhile, and its gateway may not have been heard since.
            for (Player p : players.values()) {
                if (!p.connected && p.leaveAtTick != Long.MAX_VALUE) {
                    p.leaveAtTick += skipped;
                }
            }
        }
        tick = next;
        if (selfServed != null) {
            selfServed.execute(cluster.drain()).forEach(cluster::deliver);
        }
        stats.staleClusterReplies.addAndGet(cluster.passOn(reply -> game.onClusterState(reply, context)));
        double dt = settings.tickSeconds();
        for (Player p : players.values()) {
            if (p.frozen || tick <= p.arrivedStateTick) {
                continue; // frozen, or already simulated up to here by the node it came from
            }
            double nx = grid.clampX(p.x + p.moveX * stepM);
            double nz = grid.clampZ(p.z + p.moveZ * stepM);
            p.vx = (nx - p.x) / dt;
            p.vz = (nz - p.z) / dt;
            p.x = nx;
            p.z = nz;
        }
        // Cell changes after all movement, so that a game's cell view sees everyone where they are.
        for (Player p : players.values()) {
            if (!p.frozen) {
                checkCrossing(p);
            }
        }
        fireDueTimers();
        for (Cell cell : grid.owned()) {
            if (!cell.players.isEmpty()) {
                game.onCellTick(cell, context);
            }
        }
        game.onTick(context);
        removeExpiredDisconnected();
        stats.ticks.incrementAndGet();
    }

    /**
     * The game's timers due by now, player by player in the order they came, each player's in the order they fall
     * due. A frozen player's wait: they fire on the node it arrives at. A timer set while firing falls due a tick
     * later at the soonest.
     */
    private void fireDueTimers() {
        List<Player> due = null;
        for (Player p : players.values()) {
            if (p.frozen || tick <= p.arrivedStateTick) {
                continue;
            }
            List<PlayerTimers.Timer> timers = p.get(PlayerTimers.PROPERTY);
            if (!timers.isEmpty() && timers.getFirst().dueTick() <= tick) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(p);
            }
        }
        if (due == null) {
            return;
        }
        for (Player p : due) {
            List<PlayerTimers.Timer> timers = p.get(PlayerTimers.PROPERTY);
            while (!timers.isEmpty() && timers.getFirst().dueTick() <= tick && players.get(p.id()) == p) {
                PlayerTimers.Timer t = timers.getFirst();
                p.set(PlayerTimers.PROPERTY, timers.subList(1, timers.size()));
                game.onTimer(p, t.name(), context);
                timers = p.get(PlayerTimers.PROPERTY);
            }
        }
    }

    /**
     * Once a player is {@code hysteresis} metres past the border of its cell and has dwelt there
     * {@code minDwellTicks}, it changes cell: here when this world owns the cell under it, otherwise as the
     * crossing policy decides. A player walking along a border does not flap between cells, and an active player
     * is never the margin past the border of a cell this world does not own.
     */
    private void checkCrossing(Player p) {
        p.heldBecause = null;
        Cell current = p.cell;
        double outside = current.distanceOutside(p.x, p.z);
        if (outside == 0 || outside < settings.hysteresisM()) {
            return;
        }
        Cell target = grid.cellUnder(p.x, p.z);
        boolean dwelt = tick - p.cellEnteredTick >= settings.minDwellTicks();
        if (target.owned) {
            if (dwelt) {
                changeCell(p, current, target);
            }
        } else if (!dwelt) {
            holdAtBorder(p, null);
        } else if (tick < p.noRetryBeforeTick) {
            holdAtBorder(p, RETRY_REASON); // after an abort: no storm of PREPAREs from a player pushing on
        } else {
            switch (crossingPolicy.decide(p, current.ref(), target.ref())) {
                case CrossingDecision.Handover h -> freeze(p, target.ref());
                case CrossingDecision.Hold hold -> holdAtBorder(p, hold.reason());
            }
        }
    }

    private void changeCell(Player p, Cell from, Cell to) {
        from.players.remove(p);
        to.players.add(p);
        p.cell = to;
        p.cellEnteredTick = tick;
        stats.localHandovers.incrementAndGet();
        game.onCellChange(p, from.ref(), to.ref(), context);
        listener.onCellChange(new CellChange(p.id(), from.ref(), to.ref(), tick));
    }

    /** Pulls the player back to just inside the hysteresis margin of its own cell; its velocity follows. */
    private void holdAtBorder(Player p, String reason) {
        Cell c = p.cell;
        double m = Math.max(0, settings.hysteresisM() - HOLD_SLACK_M);
        double hx = Math.clamp(p.x, c.minX - m, c.maxX + m);
        double hz = Math.clamp(p.z, c.minZ - m, c.maxZ + m);
        p.vx -= (p.x - hx) / settings.tickSeconds();
        p.vz -= (p.z - hz) / settings.tickSeconds();
        p.x = hx;
        p.z = hz;
        p.heldBecause = reason;
    }

    private void freeze(Player p, CellRef to) {
        p.frozen = true;
        p.frozenAtTick = tick;
        p.frozenTowards = to;
        p.session().lock("player " + p.id() + " is frozen for a handover");
        p.cell.players.remove(p);
        p.cell.frozen.add(p);
        stats.handoversOut.incrementAndGet();
        listener.onOutbound(new OutboundTransfer(p.id(), p.cell.ref(), to, stateOf(p)));
    }

    /**
     * For the benchmark hook: the cell across the nearest edge of the player's cell that this world does not own,
     * if any. Only the four edge neighbours count; ties go to the first of west, east, north, south.
     *
     * @throws IllegalArgumentException when the player is not in this world
     */
    public Optional<CellRef> nearestForeignNeighbour(String playerId) {
        Player p = require(playerId);
        Cell c = p.cell;
        int cx = c.ref().cx();
        int cz = c.ref().cz();
        int[][] around = {{cx - 1, cz}, {cx + 1, cz}, {cx, cz - 1}, {cx, cz + 1}};
        double[] distance = {p.x - c.minX, c.maxX - p.x, p.z - c.minZ, c.maxZ - p.z};
        CellRef best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < around.length; i++) {
            Cell n = grid.cellAt(around[i][0], around[i][1]);
            if (n != null && !n.owned && distance[i] < bestDistance) {
                best = n.ref();
                bestDistance = distance[i];
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * For the benchmark hook: puts the player the hysteresis margin past the border its cell shares with
     * {@code to}, where a walking player is first frozen, and freezes it for a handover there and then, as
     * {@link #step()} does when the crossing policy says {@link CrossingDecision#HANDOVER}: the listener gets the
     * {@link OutboundTransfer}. Neither movement nor the minimum dwell is waited for; the caller has asked its
     * crossing policy.
     *
     * @throws IllegalArgumentException when the player is not here, or {@code to} is not an edge neighbour of its
     *                                  cell that this world does not own
     * @throws IllegalStateException    when the player is frozen already
     */
    public void freezeForHandover(String playerId, CellRef to) {
        Player p = require(playerId);
        if (p.frozen) {
            throw new IllegalStateException("player " + playerId + " is frozen for a handover already");
        }
        Cell from = p.cell;
        int dx = to.cx() - from.ref().cx();
        int dz = to.cz() - from.ref().cz();
        if (Math.abs(dx) + Math.abs(dz) != 1 || grid.cellAt(to.cx(), to.cz()) == null || grid.owns(to)) {
            throw new IllegalArgumentException(to + " is not a neighbour of " + from.ref() + " owned elsewhere");
        }
        double m = settings.hysteresisM();
        // Towards lower coordinates the border itself still belongs to this cell: step just below it.
        if (dx != 0) {
            p.x = dx > 0 ? from.maxX + m : Math.nextDown(from.minX - m);
        } else {
            p.z = dz > 0 ? from.maxZ + m : Math.nextDown(from.minZ - m);
        }
        freeze(p, to);
    }

    private void removeExpiredDisconnected() {
        List<String> expired = null;
        for (Player p : players.values()) {
            if (p.leaveAtTick <= tick && !p.frozen) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(p.id());
            }
        }
        if (expired != null) {
            expired.forEach(this::leave);
        }
    }

    // ---- handover: the node core's side -------------------------------------------------------------------

    /**
     * The player's whole state: every engine field, its session data canonically encoded, its epoch, stamped with
     * the current tick (a frozen player: the tick it froze in; an arrived player not yet simulated here: the tick
     * of the state it came with). What the node core writes as a new player's first state and as checkpoints.
     *
     * @throws IllegalArgumentException when the player is not in this world
     */
    public PlayerState stateOf(String playerId) {
        return stateOf(require(playerId));
    }

    private PlayerState stateOf(Player p) {
        return PlayerStates.of(p, p.frozen ? p.frozenAtTick : Math.max(tick, p.arrivedStateTick));
    }

    /**
     * The handover aborted: the frozen player simulates again, at the same epoch. Until {@code noRetryBeforeTick}
     * it is held at the border ({@link #RETRY_REASON}) instead of asking the crossing policy again.
     *
     * @return false when the player is not in this world
     * @throws IllegalStateException when the player is here but not frozen
     */
    public boolean unfreeze(String playerId, long noRetryBeforeTick) {
        Player p = players.get(playerId);
        if (p == null) {
            return false;
        }
        requireFrozen(p);
        p.frozen = false;
        p.frozenTowards = null;
        p.noRetryBeforeTick = noRetryBeforeTick;
        p.session().unlock();
        p.cell.frozen.remove(p);
        p.cell.players.add(p);
        if (!p.connected) { // disconnected while frozen: it stops now, as disconnect would have done
            p.moveX = 0;
            p.moveZ = 0;
        }
        stats.handoversAborted.incrementAndGet();
        return true;
    }

    /**
     * The handover committed: the game's {@link Game#onDepart} runs once and the frozen player leaves this world,
     * without {@link Game#onLeave} (it moved; it did not leave the game).
     *
     * @return false when the player is not in this world
     * @throws IllegalStateException when the player is here but not frozen
     */
    public boolean depart(String playerId) {
        Player p = players.get(playerId);
        if (p == null) {
            return false;
        }
        requireFrozen(p);
        try {
            game.onDepart(p, p.frozenTowards, context);
        } finally { // the commit is decided: a failing hook must not keep the player here
            players.remove(playerId);
            p.cell.frozen.remove(p);
            stats.departures.incrementAndGet();
        }
        return true;
    }

    /**
     * Removes a frozen player without any hook: the directory names another owner, so this copy was never the
     * player's to simulate (the source of a handover found itself fenced).
     *
     * @return false when the player is not in this world
     * @throws IllegalStateException when the player is here but not frozen
     */
    public boolean drop(String playerId) {
        Player p = players.get(playerId);
        if (p == null) {
            return false;
        }
        requireFrozen(p);
        players.remove(playerId);
        p.cell.frozen.remove(p);
        return true;
    }

    /**
     * Checks whether this world can take a handed-over player, without taking it: its id is not here, its session
     * data decodes with this game's schema exactly, and the cell under its position is owned here. Changes nothing.
     *
     * @param from  the source's cell the player crossed from, for {@link Game#onArrive}
     */
    public StageResult stage(PlayerState state, CellRef from) {
        if (players.containsKey(state.playerId())) {
            return new StageResult.Refused("player " + state.playerId() + " is already in this world");
        }
        try {
            schema.decode(state.sessionData());
        } catch (SessionDataException e) {
            return new StageResult.Refused("session data refused: " + e.getMessage());
        }
        if (!(state.x() >= 0 && state.x() < settings.widthM() && state.z() >= 0 && state.z() < settings.depthM())) {
            return new StageResult.Refused("position " + state.x() + "," + state.z() + " is outside the world");
        }
        Cell cell = grid.cellUnder(state.x(), state.z());
        if (!cell.owned) {
            return new StageResult.Refused("cell " + cell.ref() + " under the player is not owned by this node");
        }
        return new StageResult.Staged(new StagedPlayer(state, from, cell.ref(), this));
    }

    /**
     * Activates a staged player on COMMIT: it joins the owned cell under its position with every field as handed
     * over and {@code epoch}, and the game's {@link Game#onArrive} runs. No snapshot goes out for it at or below
     * the state's tick, and it is not moved in those ticks (its source already did).
     *
     * @throws IllegalStateException    when a player with its id is already in this world
     * @throws IllegalArgumentException when it was staged by another world, or {@code epoch} is not above the state's
     */
    public Player arrive(StagedPlayer staged, long epoch) {
        Player p = place(staged, epoch);
        game.onArrive(p, staged.from(), context);
        return p;
    }

    /**
     * Puts a player back from its last checkpoint after its node died (rule 12), as {@link #arrive} does, but the
     * game's {@link Game#onRestore} runs: its properties are as they were at that checkpoint, and what the game keeps
     * in the cluster-wide state may have moved on since.
     */
    public Player restore(StagedPlayer staged, long epoch) {
        Player p = place(staged, epoch);
        game.onRestore(p, context);
        return p;
    }

    private Player place(StagedPlayer staged, long epoch) {
        if (staged.stagedBy != this) {
            throw new IllegalArgumentException(staged + " was staged by another world");
        }
        PlayerState s = staged.state();
        if (epoch <= s.epoch()) { // epochs only grow: one more per committed handover
            throw new IllegalArgumentException("epoch " + epoch + " is not above the handed-over epoch " + s.epoch());
        }
        if (players.containsKey(s.playerId())) {
            throw new IllegalStateException("player " + s.playerId() + " is already in this world");
        }
        SessionData session;
        try {
            session = schema.decode(s.sessionData());
        } catch (SessionDataException e) { // stage decoded the same bytes with the same schema
            throw new IllegalStateException("staged session data no longer decodes: " + e.getMessage(), e);
        }
        Player p = PlayerStates.toPlayer(s, session);
        p.epoch = epoch;
        p.arrivedStateTick = s.tick();
        p.cell = grid.cell(staged.cell());
        p.cell.players.add(p);
        players.put(p.id(), p);
        stats.arrivals.incrementAndGet();
        return p;
    }

    private Player require(String playerId) {
        Player p = players.get(playerId);
        if (p == null) {
            throw new IllegalArgumentException("no player " + playerId + " in this world");
        }
        return p;
    }

    private static void requireFrozen(Player p) {
        if (!p.frozen) {
            throw new IllegalStateException("player " + p.id() + " is not frozen for a handover");
        }
    }

    // ---- cluster-wide state: the driver's side -------------------------------------------------------------

    /**
     * The cluster state operations the game asked for since the last drain, in order; the driver runs them and
     * hands each answer back with {@link #deliverClusterState}. Drain after every step (and after joins, actions
     * and arrivals between steps, if convenient): at most {@link ClusterState#MAX_PENDING_OPS} may wait.
     *
     * @throws IllegalStateException on a world from {@link #World(WorldSettings, Game)}, which serves itself
     */
    public List<ClusterOp> drainClusterOps() {
        requireDriven();
        return cluster.drain();
    }

    /**
     * An answer from the store, passed on to the game at the start of the next step (never in the tick that
     * asked), in arrival order, unless a newer version of its key has been passed on by then.
     *
     * @throws IllegalStateException past {@link ClusterStateQueue#MAX_PENDING_REPLIES} waiting replies, or on a
     *                               world that serves itself
     */
    public void deliverClusterState(ClusterStateReply reply) {
        requireDriven();
        cluster.deliver(reply);
    }

    /** The newest cluster state the game has been given, per key. */
    public ClusterView cluster() {
        return cluster;
    }

    /** What {@link Game#hud} and {@link Game#playerColor} may read, now. */
    public ViewContext view() {
        return view;
    }

    private final ViewContext view = new ViewContext() {
        @Override public long tick() { return World.this.tick(); }
        @Override public double tickSeconds() { return settings.tickSeconds(); }
        @Override public WorldBounds bounds() { return World.this.bounds(); }
        @Override public ClusterView cluster() { return cluster; }
    };

    private void requireDriven() {
        if (selfServed != null) {
            throw new IllegalStateException("this world serves its own cluster state (the single-process "
                    + "constructor); build it with a WorldPlacement to drive it");
        }
    }

    // ---- looking at the world ------------------------------------------------------------------------------

    public Optional<Player> player(String id) {
        return Optional.ofNullable(players.get(id));
    }

    /** Players in this world, active and frozen. */
    public int playerCount() {
        return players.size();
    }

    /** Active and frozen players, in the order they came. */
    @Override
    public List<Player> players() {
        return List.copyOf(players.values());
    }

    @Override
    public List<Entity> entities() {
        return List.copyOf(entities.values());
    }

    /** The cells, for whoever encodes or inspects them; do not modify. */
    Cell[] cells() {
        return grid.cells();
    }

    /** Ids of the players held in the cell (active, then frozen): for checks that a player is in exactly one cell. */
    public List<String> playersInCell(CellRef ref) {
        Cell c = grid.cell(ref);
        List<String> ids = new ArrayList<>(c.players.size() + c.frozen.size());
        c.players.forEach(p -> ids.add(p.id()));
        c.frozen.forEach(p -> ids.add(p.id()));
        return ids;
    }

    /** Every cell of the grid, owned or not. */
    public List<CellRef> cellRefs() {
        List<CellRef> refs = new ArrayList<>(grid.cells().length);
        for (Cell c : grid.cells()) {
            refs.add(c.ref());
        }
        return Collections.unmodifiableList(refs);
    }

    @Override
    public WorldBounds bounds() {
        return new WorldBounds(settings.cellsX(), settings.cellsZ(), settings.cellSizeM());
    }

    /**
     * What a player's session data holds under {@code game}: the game's properties, then the engine's own (the
     * player's {@link GameContext#after timers}). Every node of a cluster encodes and decodes with this.
     */
    public static PropertySchema sessionSchemaOf(Game game) {
        List<io.worldmesh.api.Property<?>> properties = new ArrayList<>(game.playerProperties());
        properties.add(PlayerTimers.PROPERTY);
        return new PropertySchema(properties);
    }

    /** The game's window on the world. */
    private final class Context implements GameContext {

        @Override public long tick() { return tick; }
        @Override public double tickSeconds() { return settings.tickSeconds(); }
        @Override public RandomGenerator random() { return random; }
        @Override public WorldBounds bounds() { return World.this.bounds(); }
        @Override public List<CellRef> ownedCells() { return grid.ownedRefs(); }
        @Override public boolean owns(CellRef cell) { return grid.owns(cell); }
        @Override public ClusterState cluster() { return cluster; }

        @Override
        public List<? extends GamePlayer> players() {
            List<Player> active = new ArrayList<>(players.size());
            for (Player p : World.this.players.values()) {
                if (!p.frozen) {
                    active.add(p);
                }
            }
            return Collections.unmodifiableList(active);
        }

        @Override
        public Entity spawn(EntitySpec spec) {
            double[] at = grid.ownedPoint(spec.x(), spec.z());
            long id = (placement.incarnation() << 32) | nextEntity++;
            WorldEntity e = new WorldEntity(id, spec.kind(), spec.label(), spec.color(), spec.radius(), at[0], at[1],
                    entitySchema.initial());
            e.cell = grid.cellUnder(e.x, e.z);
            e.cell.entities.add(e);
            entities.put(e.id(), e);
            groundChanges++;
            return e;
        }

        @Override
        public boolean remove(Entity entity) {
            WorldEntity e = entities.remove(entity.id());
            if (e == null) {
                return false;
            }
            e.cell.entities.remove(e);
            e.cell = null;
            groundChanges++;
            return true;
        }

        @Override
        public void move(Entity entity, double x, double z) {
            WorldEntity e = entities.get(entity.id());
            if (e == null) {
                return;
            }
            double[] at = grid.ownedPoint(x, z);
            e.x = at[0];
            e.z = at[1];
            Cell target = grid.cellUnder(e.x, e.z);
            if (target != e.cell) {
                e.cell.entities.remove(e);
                target.entities.add(e);
                e.cell = target;
            }
        }

        @Override
        public void after(GamePlayer player, long ticks, String name) {
            Player p = require(player.id());
            p.set(PlayerTimers.PROPERTY, PlayerTimers.set(p.get(PlayerTimers.PROPERTY), name, tick, ticks));
        }

        @Override
        public void cancel(GamePlayer player, String name) {
            Player p = require(player.id());
            p.set(PlayerTimers.PROPERTY, PlayerTimers.cancel(p.get(PlayerTimers.PROPERTY), name));
        }

        @Override
        public void send(GamePlayer to, GameEvent event) {
            Player p = World.this.players.get(to.id());
            if (p != null && p.connected && !p.frozen) {
                stats.gameEvents.incrementAndGet();
                listener.onGameEvent(p.id(), GameEvents.encode(tick, event));
            }
        }

        @Override
        public void sendInView(GamePlayer around, GameEvent event) {
            Player centre = World.this.players.get(around.id());
            if (centre == null) {
                return;
            }
            byte[] json = GameEvents.encode(tick, event);
            // Neighbourhoods are symmetric: whoever is in the 3 x 3 around the centre has the centre in view.
            for (Cell c : centre.cell.neighbourhood) {
                for (Player p : c.players) {
                    if (p.connected) {
                        stats.gameEvents.incrementAndGet();
                        listener.onGameEvent(p.id(), json);
                    }
                }
            }
        }
    }
}
