package io.worldmesh.gametest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldmesh.api.CellRef;
import io.worldmesh.api.Entity;
import io.worldmesh.api.Game;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.HudFields;
import io.worldmesh.api.VersionedValue;
import io.worldmesh.api.WorldBounds;
import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.CrossingDecision;
import io.worldmesh.engine.InputOutcome;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.LocalClusterState;
import io.worldmesh.engine.OutboundTransfer;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.StageResult;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A game under test: the engine that runs it in Worldmesh, without a server, sockets or threads. Players join at
 * places, take inputs and actions, and {@link #step} runs one tick; after every step each invariant the game
 * declares is checked over the whole cluster, and a violation (or a settling verdict past its grace) fails the
 * step with an {@link InvariantFailure}. With {@link Builder#nodes(int) several nodes}, each owns a stripe of
 * columns of the grid with its own instance of the game, and a player who walks into another node's stripe is
 * handed over between steps as the cluster does it (its state through the codecs, {@code onDepart} on the source,
 * {@code onArrive} on the target); the cluster-wide state is one store shared by the nodes, whose answers arrive
 * on the next tick. The same seed gives the same run.
 *
 * <pre>{@code
 * GameTest t = GameTest.of(KothGame::new).grid(2, 2).build();
 * TestPlayer alice = t.join("alice", 10, 10);
 * t.act(alice, "taunt", Map.of());
 * t.step(20);
 * assertThat(t.events(alice)).extracting(SeenEvent::name).contains("taunted");
 * }</pre>
 */
public final class GameTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorldSettings settings;
    private final List<World> nodes = new ArrayList<>();
    private final List<OutboundTransfer> outbound = new ArrayList<>();
    private final List<SeenEvent> events = new ArrayList<>();
    private final Set<String> left = new HashSet<>();
    private final LocalClusterState cluster = new LocalClusterState(left::contains);
    private final InvariantMonitor monitor;
    private final boolean checkInvariants;
    private final java.util.SplittableRandom placing;
    private long handovers;

    private GameTest(Builder b) {
        this.settings = new WorldSettings(b.cellsX, b.cellsZ, b.cellSizeM, b.tickRateHz, b.maxSpeedMps, 0.5,
                0, 6.0, 600, b.seed);
        this.checkInvariants = b.checkInvariants;
        this.placing = new java.util.SplittableRandom(b.seed ^ 0x5DEECE66DL);
        int columnsPerNode = Math.max(1, b.cellsX / b.nodes);
        for (int n = 0; n < b.nodes; n++) {
            Set<CellRef> owned = new HashSet<>();
            for (int cx = n * columnsPerNode; cx < (n == b.nodes - 1 ? b.cellsX : (n + 1) * columnsPerNode); cx++) {
                for (int cz = 0; cz < b.cellsZ; cz++) {
                    owned.add(new CellRef(cx, cz));
                }
            }
            World w = new World(settings.withSeed(b.seed * 31 + n), b.games.get(), new WorldPlacement(owned, 0, n + 1));
            w.setListener(new Listener());
            w.setCrossingPolicy((player, from, to) -> CrossingDecision.HANDOVER);
            nodes.add(w);
        }
        this.monitor = new InvariantMonitor(nodes.getFirst().game().invariants());
    }

    /** A test of the game {@code games} makes: one instance per node, as a cluster runs it. */
    public static Builder of(Supplier<? extends Game> games) {
        return new Builder(games);
    }

    /** How the world under test is shaped. Defaults: 4 x 4 cells of 32 m, 20 ticks a second, one node, seed 1. */
    public static final class Builder {
        private final Supplier<? extends Game> games;
        private int cellsX = 4;
        private int cellsZ = 4;
        private double cellSizeM = 32;
        private int tickRateHz = 20;
        private double maxSpeedMps = 8;
        private int nodes = 1;
        private long seed = 1;
        private boolean checkInvariants = true;

        private Builder(Supplier<? extends Game> games) {
            this.games = games;
        }

        public Builder grid(int cellsAlongX, int cellsAlongZ) {
            this.cellsX = cellsAlongX;
            this.cellsZ = cellsAlongZ;
            return this;
        }

        public Builder cellSize(double metres) {
            this.cellSizeM = metres;
            return this;
        }

        public Builder tickRate(int hz) {
            this.tickRateHz = hz;
            return this;
        }

        public Builder maxSpeed(double metresPerSecond) {
            this.maxSpeedMps = metresPerSecond;
            return this;
        }

        /** Nodes, each owning a stripe of columns (at most one per column). */
        public Builder nodes(int n) {
            if (n < 1 || n > cellsX) {
                throw new IllegalArgumentException("nodes must be 1.." + cellsX + " (one column each at least)");
            }
            this.nodes = n;
            return this;
        }

        /** Seeds the game's random source on every node, and {@link #join(String)}'s places. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Leaves the invariants unchecked: for a test that shows one breaking. */
        public Builder withoutInvariantChecks() {
            this.checkInvariants = false;
            return this;
        }

        public GameTest build() {
            return new GameTest(this);
        }
    }

    // ---- players ---------------------------------------------------------------------------------------------

    /** A new player at {@code (x, z)}, on the node that owns the cell there. */
    public TestPlayer join(String name, double x, double z) {
        World w = ownerOf(x, z);
        Player p = w.join(name, x, z);
        cluster.serve(w); // what onJoin asked for is answered on the next tick, as in a cluster
        return new TestPlayer(this, p.id());
    }

    /** A new player at a random place of the world, drawn from the test's seed. */
    public TestPlayer join(String name) {
        return join(name, placing.nextDouble(settings.widthM()), placing.nextDouble(settings.depthM()));
    }

    /** The player leaves the game for good: {@code onLeave} runs. */
    public void leave(TestPlayer player) {
        World w = nodeOf(player.id());
        left.add(player.id());
        w.leave(player.id());
        cluster.serve(w);
    }

    /**
     * Gives the player a value of one of the game's properties, as if the game had set it: for setting up a
     * scenario (a streak about to complete, a full inventory) without playing up to it.
     */
    public <T> void set(TestPlayer player, io.worldmesh.api.Property<T> property, T value) {
        active(player.id()).set(property, value);
    }

    /** Sets the direction the player walks in from now on (its length is capped at 1); {@code (0, 0)} stands. */
    public void move(TestPlayer player, double dx, double dz) {
        input(player, dx, dz, null);
    }

    /**
     * Sends a declared action, as a client's next input (walking on as before).
     *
     * @throws IllegalArgumentException when the game would refuse it, with the reason a client would be told
     */
    public void act(TestPlayer player, String action, Map<String, Object> fields) {
        Player p = active(player.id());
        input(player, p.moveX(), p.moveZ(), new ClientMessage.GameAction(action, fields));
    }

    private void input(TestPlayer player, double dx, double dz, ClientMessage.GameAction action) {
        World w = nodeOf(player.id());
        Player p = active(player.id());
        double yaw = dx == 0 && dz == 0 ? p.yaw() : Math.atan2(dz, dx);
        InputOutcome outcome = w.applyInput(p.id(), new ClientMessage.Input(p.lastAppliedSeq() + 1, new Vec2(dx, dz),
                yaw, null, action));
        if (outcome == InputOutcome.BAD_ACTION) {
            throw new IllegalArgumentException(w.actionProblem(action).orElse("refused"));
        }
        cluster.serve(w);
    }

    // ---- time ------------------------------------------------------------------------------------------------

    /** One tick on every node, then the handovers it started, then every invariant checked. */
    public void step() {
        for (World w : nodes) {
            w.step();
            cluster.serve(w);
        }
        handOver();
        if (checkInvariants && !monitor.tallies().isEmpty()) {
            long before = totalViolations();
            monitor.checkWorlds(nodes);
            if (totalViolations() > before) {
                List<String> m = monitor.messages();
                throw new InvariantFailure(tick(), m.isEmpty() ? "an invariant broke at tick " + tick()
                        : m.getLast());
            }
        }
    }

    /** {@code ticks} steps. */
    public void step(int ticks) {
        for (int i = 0; i < ticks; i++) {
            step();
        }
    }

    /** Ticks per second. */
    public int tickRate() {
        return settings.tickRateHz();
    }

    /** The current tick, the same on every node. */
    public long tick() {
        return nodes.getFirst().tick();
    }

    /**
     * Seeded random play: {@code players} players join at random places, walk in random directions, send the
     * game's declared actions at random (their fields filled by type) and now and then leave, with a new player
     * taking their place; every invariant is checked after every tick, as always.
     */
    public PlayReport playRandomly(long seed, int players, int ticks) {
        return new RandomPlay(this, seed).run(players, ticks);
    }

    // ---- what the players see ----------------------------------------------------------------------------------

    /** The players in the game, on every node, in node order and then in the order they came. */
    public List<TestPlayer> players() {
        List<TestPlayer> out = new ArrayList<>();
        for (World w : nodes) {
            w.players().forEach(p -> out.add(new TestPlayer(this, p.id())));
        }
        return out;
    }

    /** The HUD a client shows for the player: each field a {@code Long} or a {@code String}, in the game's order. */
    public Map<String, Object> hud(TestPlayer player) {
        World w = nodeOf(player.id());
        Map<String, Object> out = new LinkedHashMap<>();
        w.game().hud(active(player.id()), new HudFields() {
            @Override
            public void put(String name, long value) {
                out.put(name, value);
            }

            @Override
            public void put(String name, String value) {
                out.put(name, value);
            }
        }, w.view());
        return out;
    }

    /** The colour the game draws the player in, or null for the engine's own. */
    public String color(TestPlayer player) {
        World w = nodeOf(player.id());
        return w.game().playerColor(active(player.id()), w.view());
    }

    /** Every event sent to the player so far, oldest first. */
    public List<SeenEvent> events(TestPlayer player) {
        return events.stream().filter(e -> e.player().equals(player.id())).toList();
    }

    /** Every event sent to anyone so far, oldest first. */
    public List<SeenEvent> events() {
        return List.copyOf(events);
    }

    /** The entities of every node's cells. */
    public List<Entity> entities() {
        List<Entity> out = new ArrayList<>();
        nodes.forEach(w -> out.addAll(w.entities()));
        return out;
    }

    /** The value of a cluster-wide state key, as the store holds it now (version 0 and null: never written). */
    public VersionedValue clusterState(String key) {
        return cluster.get(key);
    }

    /** The game's {@link Game#stats} figures, added up over the nodes. */
    public SortedMap<String, Long> stats() {
        SortedMap<String, Long> sums = new TreeMap<>();
        nodes.forEach(w -> w.game().stats(w).forEach((k, v) -> sums.merge(k, v, Long::sum)));
        return sums;
    }

    /** How each invariant fared so far, by name. */
    public Map<String, Checks> invariants() {
        Map<String, Checks> out = new LinkedHashMap<>();
        monitor.tallies().forEach((name, t) -> out.put(name, new Checks(t.checks(), t.violations(), t.settling())));
        return out;
    }

    /** Players handed over between nodes so far. */
    public long handovers() {
        return handovers;
    }

    /** The whole grid. */
    public WorldBounds bounds() {
        return nodes.getFirst().bounds();
    }

    /** Which node (0, 1, ...) has the player. */
    public int nodeIndexOf(TestPlayer player) {
        return nodes.indexOf(nodeOf(player.id()));
    }

    /** The game's instance on node {@code index}, as the engine calls it: to ask it for its declarations. */
    public Game game(int index) {
        return nodes.get(index).game();
    }

    // ---- inside ------------------------------------------------------------------------------------------------

    Optional<GamePlayer> find(String id) {
        for (World w : nodes) {
            Optional<Player> p = w.player(id);
            if (p.isPresent()) {
                return Optional.of(p.get());
            }
        }
        return Optional.empty();
    }

    private Player active(String id) {
        return nodeOf(id).player(id).orElseThrow();
    }

    private World nodeOf(String id) {
        for (World w : nodes) {
            if (w.player(id).isPresent()) {
                return w;
            }
        }
        throw new IllegalStateException("player " + id + " is not in the game" + (left.contains(id) ? ": it left"
                : ""));
    }

    private World ownerOf(double x, double z) {
        World any = nodes.getFirst();
        CellRef cell = any.cellUnder(x, z);
        return nodes.stream().filter(w -> w.owns(cell)).findFirst().orElseThrow();
    }

    private long totalViolations() {
        return monitor.tallies().values().stream().mapToLong(InvariantMonitor.Tally::violations).sum();
    }

    /** Every transfer of the step, as the node core does it: staged on the target, activated, let go by the source. */
    private void handOver() {
        List<OutboundTransfer> due = List.copyOf(outbound);
        outbound.clear();
        for (OutboundTransfer t : due) {
            World source = nodeOf(t.playerId());
            World target = nodes.stream().filter(w -> w.owns(t.to())).findFirst().orElseThrow();
            StageResult staged = target.stage(source.stateOf(t.playerId()), t.from());
            if (!(staged instanceof StageResult.Staged s)) {
                throw new AssertionError("node " + nodes.indexOf(target) + " refused player " + t.playerId()
                        + " handed over from node " + nodes.indexOf(source) + ": " + ((StageResult.Refused) staged)
                        .reason());
            }
            target.arrive(s.player(), t.state().epoch() + 1);
            source.depart(t.playerId());
            handovers++;
            cluster.serve(source);
            cluster.serve(target);
        }
    }

    private final class Listener implements WorldListener {
        @Override
        public void onCellChange(CellChange change) {
        }

        @Override
        public void onGameEvent(String playerId, byte[] json) {
            try {
                JsonNode n = JSON.readTree(json);
                Map<String, Object> data = new LinkedHashMap<>();
                n.path("data").properties().forEach(f -> data.put(f.getKey(), value(f.getValue())));
                events.add(new SeenEvent(n.path("tick").asLong(), playerId, n.path("name").asText(), data));
            } catch (IOException e) {
                throw new IllegalStateException("the engine wrote an event that is not JSON", e);
            }
        }

        @Override
        public void onOutbound(OutboundTransfer transfer) {
            outbound.add(transfer);
        }

        private static Object value(JsonNode v) {
            if (v.isIntegralNumber()) {
                return v.longValue();
            }
            if (v.isNumber()) {
                return v.doubleValue();
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            return v.asText();
        }
    }

    /** For {@link RandomPlay}: the declared actions' names and field types. */
    List<io.worldmesh.api.ActionSpec> declaredActions() {
        return nodes.getFirst().game().actions();
    }
}
