package io.worldmesh.engine;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellRef;
import io.worldmesh.api.Entity;
import io.worldmesh.api.EntitySpec;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GameEvent;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.WorldBounds;
import io.worldmesh.api.WorldView;
import io.worldmesh.engine.session.PropertySchema;
import io.worldmesh.protocol.client.ClientMessage;

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
 * The simulated world: a grid of cells holding players and a game's entities, advanced one fixed tick at a time.
 * Single-threaded by design: the thread that runs {@link #step()} is the only one that may call any method.
 */
public final class World implements WorldView {

    private static final String[] PLAYER_COLORS = {
        "#5b8def", "#e0605e", "#4cc38a", "#b57edc", "#f08a4b", "#e86fa6", "#9ccc65", "#8e9bff",
    };

    private final WorldSettings settings;
    private final Game game;
    private final PropertySchema schema;
    private final PropertySchema entitySchema;
    private final Cell[] cells;
    private final Map<String, Player> players = new LinkedHashMap<>();
    private final Map<Long, WorldEntity> entities = new LinkedHashMap<>();
    private final RandomGenerator random;
    private final Context context = new Context();
    private final EngineStats stats = new EngineStats();
    private final double stepM;
    private final Map<String, ActionSpec> actionSpecs = new HashMap<>();
    private WorldListener listener = WorldListener.NONE;
    private long tick;
    private long nextPlayer = 1;
    private long nextEntity = 1;

    public World(WorldSettings settings, Game game) {
        this.settings = settings;
        this.game = game;
        this.schema = new PropertySchema(game.playerProperties());
        this.entitySchema = new PropertySchema(game.entityProperties());
        this.random = new SplittableRandom(settings.seed());
        this.stepM = settings.maxSpeedMps() * settings.tickSeconds();
        this.cells = new Cell[settings.cellsX() * settings.cellsZ()];
        for (int cz = 0; cz < settings.cellsZ(); cz++) {
            for (int cx = 0; cx < settings.cellsX(); cx++) {
                int i = index(cx, cz);
                cells[i] = new Cell(new CellRef(cx, cz), i, settings.cellSizeM());
            }
        }
        for (Cell cell : cells) {
            List<Cell> around = new ArrayList<>(9);
            for (int dz = -1; dz <= 1; dz++) {
                for (int dx = -1; dx <= 1; dx++) {
                    Cell n = cellAt(cell.ref().cx() + dx, cell.ref().cz() + dz);
                    if (n != null) {
                        around.add(n);
                    }
                }
            }
            cell.neighbourhood = List.copyOf(around);
        }
        for (ActionSpec spec : game.actions()) {
            actionSpecs.put(spec.name(), spec);
        }
        game.start(context);
    }

    public void setListener(WorldListener listener) {
        this.listener = listener;
    }

    public WorldSettings settings() {
        return settings;
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

    /** A new player at a random place. */
    public Player join(String name) {
        return join(name, random.nextDouble(settings.widthM()), random.nextDouble(settings.depthM()));
    }

    /** A new player at a given place (clamped into the world): for scenarios, tests and benchmarks. */
    public Player join(String name, double atX, double atZ) {
        String id = "p" + nextPlayer;
        String color = PLAYER_COLORS[(int) (nextPlayer % PLAYER_COLORS.length)];
        nextPlayer++;
        double x = Math.clamp(atX, 0, Math.nextDown(settings.widthM()));
        double z = Math.clamp(atZ, 0, Math.nextDown(settings.depthM()));
        Player p = new Player(id, name, color, schema.initial(), x, z);
        Cell cell = rawCell(x, z);
        p.cell = cell;
        p.cellEnteredTick = tick;
        cell.players.add(p);
        players.put(id, p);
        stats.joins.incrementAndGet();
        game.onJoin(p, context);
        return p;
    }

    /** The player's connection is gone: it stops and waits for the resume window to pass. */
    public void disconnect(String playerId) {
        Player p = players.get(playerId);
        if (p != null && p.connected) {
            p.connected = false;
            p.moveX = 0;
            p.moveZ = 0;
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

    /** Removes a player for good; the game takes back what it held. */
    public boolean leave(String playerId) {
        Player p = players.remove(playerId);
        if (p == null) {
            return false;
        }
        game.onLeave(p, context);
        p.cell.players.remove(p);
        stats.leaves.incrementAndGet();
        return true;
    }

    /**
     * Applies one input at once: its direction and yaw drive the player from the next movement step on. Each seq
     * is applied at most once and in increasing order; anything else changes nothing.
     */
    public InputOutcome applyInput(String playerId, ClientMessage.Input input) {
        Player p = players.get(playerId);
        if (p == null) {
            stats.unknownPlayerInputs.incrementAndGet();
            return InputOutcome.UNKNOWN_PLAYER;
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

    /** Advances the world by one tick: movement, cell changes, the game's rules, departures. */
    public void step() {
        tick++;
        double maxX = Math.nextDown(settings.widthM());
        double maxZ = Math.nextDown(settings.depthM());
        double dt = settings.tickSeconds();
        for (Player p : players.values()) {
            double nx = Math.clamp(p.x + p.moveX * stepM, 0, maxX);
            double nz = Math.clamp(p.z + p.moveZ * stepM, 0, maxZ);
            p.vx = (nx - p.x) / dt;
            p.vz = (nz - p.z) / dt;
            p.x = nx;
            p.z = nz;
        }
        // Cell changes after all movement, so that a game's cell view sees everyone where they are.
        for (Player p : players.values()) {
            checkAndHandover(p);
        }
        for (Cell cell : cells) {
            if (!cell.players.isEmpty()) {
                game.onCellTick(cell, context);
            }
        }
        game.onTick(context);
        removeExpiredDisconnected();
        stats.ticks.incrementAndGet();
    }

    /**
     * Moves the player to the cell under it once it is {@code hysteresis} metres past the border of its cell and
     * has dwelt there {@code minDwellTicks}: a player walking along a border does not flap between cells.
     */
    private void checkAndHandover(Player p) {
        Cell current = p.cell;
        double outside = current.distanceOutside(p.x, p.z);
        if (outside == 0 || outside < settings.hysteresisM()) {
            return;
        }
        if (tick - p.cellEnteredTick < settings.minDwellTicks()) {
            return;
        }
        Cell target = rawCell(p.x, p.z);
        current.players.remove(p);
        target.players.add(p);
        p.cell = target;
        p.cellEnteredTick = tick;
        stats.localHandovers.incrementAndGet();
        CellChange change = new CellChange(p.id(), current.ref(), target.ref(), tick);
        game.onCellChange(p, current.ref(), target.ref(), context);
        listener.onCellChange(change);
    }

    private void removeExpiredDisconnected() {
        List<String> expired = null;
        for (Player p : players.values()) {
            if (p.leaveAtTick <= tick) {
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

    public Optional<Player> player(String id) {
        return Optional.ofNullable(players.get(id));
    }

    public int playerCount() {
        return players.size();
    }

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
        return cells;
    }

    /** Ids of the players held in the cell, in cell order: for checks that a player is in exactly one cell. */
    public List<String> playersInCell(CellRef ref) {
        Cell c = cellAt(ref.cx(), ref.cz());
        if (c == null) {
            throw new IllegalArgumentException("no cell " + ref);
        }
        return c.players.stream().map(Player::id).toList();
    }

    public List<CellRef> cellRefs() {
        List<CellRef> refs = new ArrayList<>(cells.length);
        for (Cell c : cells) {
            refs.add(c.ref());
        }
        return Collections.unmodifiableList(refs);
    }

    public WorldBounds bounds() {
        return new WorldBounds(settings.cellsX(), settings.cellsZ(), settings.cellSizeM());
    }

    private int index(int cx, int cz) {
        return cz * settings.cellsX() + cx;
    }

    private Cell cellAt(int cx, int cz) {
        if (cx < 0 || cz < 0 || cx >= settings.cellsX() || cz >= settings.cellsZ()) {
            return null;
        }
        return cells[index(cx, cz)];
    }

    /** The cell under a point, clamped into the grid. */
    private Cell rawCell(double x, double z) {
        int cx = Math.clamp((long) Math.floor(x / settings.cellSizeM()), 0, settings.cellsX() - 1);
        int cz = Math.clamp((long) Math.floor(z / settings.cellSizeM()), 0, settings.cellsZ() - 1);
        return cells[index(cx, cz)];
    }

    /** The game's window on the world. */
    private final class Context implements GameContext {

        @Override public long tick() { return tick; }
        @Override public double tickSeconds() { return settings.tickSeconds(); }
        @Override public RandomGenerator random() { return random; }
        @Override public WorldBounds bounds() { return World.this.bounds(); }

        @Override
        public Entity spawn(EntitySpec spec) {
            double x = Math.clamp(spec.x(), 0, Math.nextDown(settings.widthM()));
            double z = Math.clamp(spec.z(), 0, Math.nextDown(settings.depthM()));
            WorldEntity e = new WorldEntity(nextEntity++, spec.kind(), spec.label(), spec.color(), x, z,
                    entitySchema.initial());
            e.cell = rawCell(x, z);
            e.cell.entities.add(e);
            entities.put(e.id(), e);
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
            return true;
        }

        @Override
        public void send(GamePlayer to, GameEvent event) {
            Player p = players.get(to.id());
            if (p != null && p.connected) {
                stats.gameEvents.incrementAndGet();
                listener.onGameEvent(p.id(), GameEvents.encode(tick, event));
            }
        }

        @Override
        public void sendInView(GamePlayer around, GameEvent event) {
            Player centre = players.get(around.id());
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

        @Override
        public void move(Entity entity, double x, double z) {
            WorldEntity e = entities.get(entity.id());
            if (e == null) {
                return;
            }
            e.x = Math.clamp(x, 0, Math.nextDown(settings.widthM()));
            e.z = Math.clamp(z, 0, Math.nextDown(settings.depthM()));
            Cell target = rawCell(e.x, e.z);
            if (target != e.cell) {
                e.cell.entities.remove(e);
                target.entities.add(e);
                e.cell = target;
            }
        }
    }

}
