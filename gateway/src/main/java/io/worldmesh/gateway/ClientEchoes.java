package io.worldmesh.gateway;

import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.link.ToNode;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Clients' echoes on their way to the simulation of the player's owning node and back. Each gets a negative link
 * id of its own (the link benchmark's ids are not negative), so that the node's reply finds the client and its id.
 * Bounded: when {@link #MAX_PENDING} wait, those older than {@link #STALE_NANOS} (lost with a link) are dropped,
 * and if that frees nothing the new echo is refused with {@code overloaded}. Safe from any thread.
 *
 * @param <C> a client connection
 */
final class ClientEchoes<C> {

    static final int MAX_PENDING = 4096;
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** How frames reach a node's link; false when that link is down. */
    @FunctionalInterface
    interface Links {
        boolean send(String node, ToNode frame);
    }

    private record Pending<C>(C client, long clientId, long sentAtNanos) {
    }

    private final Function<String, Optional<String>> ownerOf;
    private final Links links;
    private final BiConsumer<C, String> reply;
    private final Map<Long, Pending<C>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(-1);

    /**
     * @param ownerOf the node the gateway routes a player to now
     * @param reply   sends a droppable text message to a client
     */
    ClientEchoes(Function<String, Optional<String>> ownerOf, Links links, BiConsumer<C, String> reply) {
        this.ownerOf = ownerOf;
        this.links = links;
        this.reply = reply;
    }

    /** A client's echo for its player: on to the owning node, like a probe that may be lost with its link. */
    void toOwner(C client, String playerId, long clientId) {
        Optional<String> node = ownerOf.apply(playerId);
        if (node.isEmpty()) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            long now = System.nanoTime();
            pending.values().removeIf(p -> now - p.sentAtNanos() > STALE_NANOS);
            if (pending.size() >= MAX_PENDING) {
                reply.accept(client, ServerMessages.error(ErrorCode.OVERLOADED, "too many echoes waiting"));
                return;
            }
        }
        long id = nextId.getAndDecrement();
        pending.put(id, new Pending<>(client, clientId, System.nanoTime()));
        if (!links.send(node.get(), new ToNode.Echo(id))) {
            pending.remove(id);
        }
    }

    /** A node's echo reply: true when the id is a client's (answered, or its client given up on). */
    boolean answered(long linkId) {
        if (linkId >= 0) {
            return false;
        }
        Pending<C> p = pending.remove(linkId);
        if (p != null) {
            reply.accept(p.client(), ServerMessages.echo(p.clientId()));
        }
        return true;
    }

    int waiting() {
        return pending.size();
    }
}
