package io.worldmesh.testkit;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.handover.GatewayRoutes;
import io.worldmesh.handover.RouteEffect;
import io.worldmesh.node.core.DirectoryOp;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The gateway as {@code GatewayServer} runs it, without sockets: the real {@link GatewayRoutes} switch, bound on
 * ATTACHED, fed every input, released by snapshots' {@code last_applied_seq}, moved by HOLD, RELEASE and ROUTE, and
 * frames from nodes that do not own a player dropped. Clients talk to it directly; nodes over {@link GatewayLinks}.
 * It may crash: everything it held is gone with its process, its clients' connections drop, and its next start
 * (life) rebuilds its routes from what the nodes and the directory tell it.
 */
final class SimGateway {

    static final String ID = "g1";
    /** As the gateway's default {@code --max-buffered-inputs}. */
    static final int MAX_BUFFERED_INPUTS = 256;

    private GatewayRoutes routes = new GatewayRoutes(MAX_BUFFERED_INPUTS);
    private final GatewayLinks links;
    private final Scheduler scheduler;
    private final SimDirectory directory;
    private final Map<String, Integer> nodeIndex;
    /** The owner of every cell in grid order: a new player goes to the owner of a random cell. */
    private List<String> cellOwners;
    private long assignmentVersion = -1;
    private final SplittableRandom random;
    private final Map<Long, SimClient> byConnection = new HashMap<>();
    private final Map<String, Long> byPlayer = new HashMap<>();
    private final Map<Long, ToNode.Attach> lookups = new HashMap<>();
    private final Map<Long, ToNode.Attach> attaching = new HashMap<>();
    private record Audit(String node, String playerId, int attempt) {
    }
    /** As {@code GatewayServer.AUDIT_ATTEMPTS}: a failed audit read is made again, this many times at most. */
    private static final int AUDIT_ATTEMPTS = 60;
    private final Map<Long, Audit> audits = new HashMap<>();
    private long nextAudit = -1;
    private long assignmentReads;
    /** The node each sent ATTACH went to, until it is answered. */
    private final Map<Long, String> attachedAt = new HashMap<>();
    private long nextConnection = 1;
    /** This start of the gateway, from 1; 0 while it is down. */
    private long life = 1;
    private long lives = 1;

    SimGateway(Scheduler scheduler, GatewayLinks links, SimDirectory directory, Map<String, Integer> nodeIndex,
               List<String> cellOwners, SplittableRandom random) {
        this.scheduler = scheduler;
        this.links = links;
        this.directory = directory;
        this.nodeIndex = nodeIndex;
        this.cellOwners = cellOwners;
        this.random = random;
    }

    GatewayRoutes routes() {
        return routes;
    }

    /** This start's number, as the gateway names it to the nodes at each link's handshake; 0 while it is down. */
    long life() {
        return life;
    }

    boolean up() {
        return life > 0;
    }

    /**
     * The process dies: its routes, the inputs it kept and its connections are gone. Each client finds its
     * connection closed, and resumes once the gateway is back.
     */
    void crash() {
        List<SimClient> connected = List.copyOf(new java.util.LinkedHashSet<>(byConnection.values()));
        routes = new GatewayRoutes(MAX_BUFFERED_INPUTS);
        attachedAt.clear();
        byConnection.clear();
        byPlayer.clear();
        lookups.clear();
        audits.clear();
        attaching.clear();
        life = 0;
        connected.forEach(SimClient::onConnectionLost);
    }

    /** Started again: a new life, numbering its connections from 1 again as a new process does. */
    void start() {
        life = ++lives;
        nextConnection = 1;
    }

    /**
     * The link to {@code node} dropped: its players' inputs are kept until it is back, and an ATTACH sent there and not
     * answered is refused (no answer can come back on that link), as {@code GatewayServer} does.
     */
    void linkDown(String node) {
        routes.onLinkDown(node);
        List<Long> unanswered = attachedAt.entrySet().stream().filter(e -> e.getValue().equals(node))
                .map(Map.Entry::getKey).sorted().toList();
        for (long id : unanswered) {
            attachedAt.remove(id);
            attaching.remove(id);
            SimClient c = byConnection.remove(id);
            if (c != null) {
                scheduler.after(1_000_000, new Event.ConnectionRefused(c.index(), id));
            }
        }
    }

    /** The link to {@code node} is up again: what it may have lost goes again. */
    void linkUp(String node) {
        carryOut(routes.onLinkUp(node), null);
        // As GatewayServer does: is each player routed there still in the game? (Audit ids are negative, apart from
        // the connection ids a resume's lookup uses.)
        for (GatewayRoutes.Routed r : routes.toAuditOnLinkUp(node)) {
            audit(new Audit(r.node(), r.playerId(), 1));
        }
    }

    private void audit(Audit audit) {
        long id = nextAudit--;
        audits.put(id, audit);
        directory.call(SimDirectory.GATEWAY, life, id, new DirectoryOp.ReadOwner(audit.playerId()));
    }

    /** A client's hello: a new player goes to a random cell's owner, a resumed one to its owner. */
    long hello(SimClient client, String name, String resumePlayerId) {
        long id = nextConnection++;
        if (!up()) { // connection refused: the client tries again later
            scheduler.after(1_000_000, new Event.ConnectionRefused(client.index(), id));
            return id;
        }
        byConnection.put(id, client);
        ToNode.Attach attach = new ToNode.Attach(id, name, resumePlayerId);
        attaching.put(id, attach);
        if (resumePlayerId == null) {
            send(spawnNode(), attach);
            return id;
        }
        Optional<GatewayRoutes.Placement> known = routes.placement(resumePlayerId);
        if (known.isPresent()) {
            send(known.get().node(), attach);
        } else {
            lookups.put(id, attach);
            directory.call(SimDirectory.GATEWAY, life, id, new DirectoryOp.ReadOwner(resumePlayerId));
        }
        return id;
    }

    /** The directory's answer to a resume's lookup, or to a route's audit; node null when it names no owner. */
    void ownerLookedUp(long gatewayLife, long connectionId, String node, boolean answered) {
        if (gatewayLife != life) {
            return; // asked by a start of the gateway that has died since
        }
        Audit audit = audits.remove(connectionId);
        if (audit != null) {
            if (answered && node == null) {
                gone(audit.node(), audit.playerId(), Long.MAX_VALUE, -1);
            } else if (answered && !node.equals(audit.node())) {
                routes.onOwnerElsewhere(audit.playerId(), audit.node());
            } else if (!answered && audit.attempt() < AUDIT_ATTEMPTS
                    && routes.isRoutedTo(audit.playerId(), audit.node())) {
                // Made again at once: a failed call took its timeout already, so the tries are that far apart.
                audit(new Audit(audit.node(), audit.playerId(), audit.attempt() + 1));
            }
            return;
        }
        ToNode.Attach attach = lookups.remove(connectionId);
        if (attach != null) {
            send(node != null ? node : spawnNode(), attach);
        }
    }

    void input(long connectionId, String playerId, ClientMessage.Input input) {
        carryOut(routes.onInput(playerId, input), byConnection.get(connectionId));
    }

    /** The client closed its connection. */
    void close(long connectionId, String playerId) {
        byConnection.remove(connectionId);
        attaching.remove(connectionId);
        attachedAt.remove(connectionId);
        if (playerId != null) {
            byPlayer.remove(playerId, connectionId);
            routes.onDisconnected(playerId, connectionId)
                    .ifPresent(d -> send(d.node(), new ToNode.Detach(d.playerId(), d.connectionId())));
        }
    }

    void fromNode(String node, ToGateway frame) {
        switch (frame) {
            case ToGateway.Attached a -> attached(node, a);
            case ToGateway.Refused r -> {
                if (!node.equals(attachedAt.get(r.connectionId()))) {
                    return; // a late answer across a restart of the gateway, as GatewayServer drops it
                }
                ToNode.Attach sent = attaching.remove(r.connectionId());
                if (sent != null && sent.resumePlayerId() != null) {
                    routes.onResumeRefused(node, sent.resumePlayerId());
                }
                attachedAt.remove(r.connectionId());
                SimClient c = byConnection.remove(r.connectionId()); // the session closes the connection
                if (c != null) {
                    c.onRefused(r.connectionId());
                }
            }
            case ToGateway.ToClient msg -> {
                if (routes.isRoutedTo(msg.playerId(), node) && msg.lastAppliedSeq() >= 0) {
                    routes.onApplied(msg.playerId(), node, msg.lastAppliedSeq());
                }
            }
            case ToGateway.Hold h -> routes.onHold(node, h.playerId(), h.epoch());
            case ToGateway.Release r -> carryOut(routes.onRelease(node, r.playerId(), r.epoch(), r.lastAppliedSeq()),
                    null);
            case ToGateway.Route r -> carryOut(routes.onRoute(node, r.playerId(), r.epoch(), r.lastAppliedSeq()),
                    null);
            case ToGateway.Gone g -> {
                gone(node, g.playerId(), g.epoch(), g.connectionId());
            }
            case ToGateway.EchoReply e -> { }
        }
    }

    private void gone(String node, String playerId, long epoch, long connectionId) {
        routes.onGone(node, playerId, epoch, connectionId).ifPresent(connection -> {
            // The session closes the connection, as GatewayServer's does: the client connects again.
            byPlayer.remove(playerId, connection);
            SimClient c = byConnection.remove(connection);
            if (c != null) {
                c.onConnectionLost();
            }
        });
    }

    private void attached(String node, ToGateway.Attached a) {
        SimClient c = byConnection.get(a.connectionId());
        if (c == null || !node.equals(attachedAt.get(a.connectionId()))) {
            // The client left before its welcome, or a late answer across a restart of the gateway: let the
            // player start its resume window.
            send(node, new ToNode.Detach(a.playerId(), a.connectionId()));
            return;
        }
        Optional<String> newerOwner = routes.bind(a.playerId(), a.connectionId(), node, a.epoch(),
                a.lastAppliedSeq());
        if (newerOwner.isPresent()) {
            // A resume answered by a node that has since handed the player on: attach where it is now.
            ToNode.Attach again = attaching.get(a.connectionId());
            if (again != null) {
                send(newerOwner.get(), again);
            }
            return;
        }
        attaching.remove(a.connectionId());
        attachedAt.remove(a.connectionId());
        Long old = byPlayer.put(a.playerId(), a.connectionId());
        if (old != null && old != a.connectionId()) {
            byConnection.remove(old); // superseded: closed without a detach
        }
        c.onAttached(a);
    }

    private void carryOut(List<RouteEffect> effects, SimClient sender) {
        for (RouteEffect e : effects) {
            switch (e) {
                case RouteEffect.Forward f -> send(f.node(), new ToNode.Input(f.playerId(), f.input()));
                case RouteEffect.Refuse r -> {
                    SimClient to = sender != null ? sender : clientOf(r.playerId());
                    if (to != null) {
                        to.onInputRefused(r.playerId(), r.seq());
                    }
                }
                case RouteEffect.Ack a -> send(a.node(), new ToNode.RouteAck(a.playerId(), a.epoch(), a.connectionId()));
                case RouteEffect.Detach d -> send(d.node(), new ToNode.Detach(d.playerId(), d.connectionId()));
            }
        }
    }

    private SimClient clientOf(String playerId) {
        Long connection = byPlayer.get(playerId);
        return connection == null ? null : byConnection.get(connection);
    }

    /** Every second, as {@code GatewayCommand}: the cell assignment, so that new players follow a failover. */
    void readAssignment() {
        if (up()) {
            directory.call(SimDirectory.GATEWAY, life, 0, new DirectoryOp.ReadAssignment());
            // Every other second, as GatewayServer's SILENT_AUDIT_MILLIS: the routes whose node went silent.
            if (++assignmentReads % 2 == 0) {
                for (GatewayRoutes.Routed r : routes.toAuditWhenSilent()) {
                    audit(new Audit(r.node(), r.playerId(), AUDIT_ATTEMPTS)); // not retried: the next sweep asks
                }
            }
        }
    }

    /** A newer cell assignment (a dead node's cells moved to another): new players follow it. */
    void assignmentRead(long gatewayLife, CellAssignment assignment) {
        if (gatewayLife == life && assignment != null && assignment.version() > assignmentVersion) {
            assignmentVersion = assignment.version();
            cellOwners = List.copyOf(assignment.owners().values());
        }
    }

    private String spawnNode() {
        return cellOwners.get(random.nextInt(cellOwners.size()));
    }

    /** A frame to a node; an attach to a node whose link is down is refused at once, as the gateway does. */
    private void send(String node, ToNode frame) {
        int index = nodeIndex.get(node);
        if (!links.up(index) && frame instanceof ToNode.Attach a) {
            attaching.remove(a.connectionId());
            SimClient c = byConnection.remove(a.connectionId());
            if (c != null) {
                scheduler.after(1_000_000, new Event.ConnectionRefused(c.index(), a.connectionId()));
            }
            return;
        }
        if (frame instanceof ToNode.Attach a) {
            attachedAt.put(a.connectionId(), node);
        }
        links.toNode(index, frame);
    }
}
