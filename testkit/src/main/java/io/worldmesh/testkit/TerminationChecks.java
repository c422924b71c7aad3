package io.worldmesh.testkit;

import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.handover.GatewayRoutes;
import io.worldmesh.node.core.NodeLifecycle;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Termination, at the end of the heal phase: with the directory reachable and no faults for that long, every
 * handover has ended on both sides, the gateway holds no player's inputs, every client plays a player, and every
 * input a client sent that was not refused or abandoned by a disconnect has been applied (at most once is checked
 * at every step, so this makes it exactly once).
 */
final class TerminationChecks {

    private final List<SimNode> nodes;
    private final List<SimClient> clients;
    private final Map<String, InputLedger> ledgers;
    private final GatewayRoutes routes;
    private final InMemoryDirectory directory;

    TerminationChecks(List<SimNode> nodes, List<SimClient> clients, Map<String, InputLedger> ledgers,
                      GatewayRoutes routes, InMemoryDirectory directory) {
        this.nodes = nodes;
        this.clients = clients;
        this.ledgers = ledgers;
        this.routes = routes;
        this.directory = directory;
    }

    void check() {
        for (SimNode n : nodes) {
            if (!n.up() || n.core().lifecycle() != NodeLifecycle.RUNNING || n.core().recovering()) {
                fail(n.id() + " is " + (n.up() ? n.core().lifecycle() + (n.core().recovering() ? ", recovering"
                        : "") : "down") + " at the end");
            }
            if (n.core().handoversInFlight() != 0) {
                fail(n.id() + " still has " + n.core().handoversInFlight() + " handover(s) in flight");
            }
        }
        // Every owner record names a node that holds the player, active at that epoch: no takeover left hanging.
        for (SimNode n : nodes) {
            directory.playersOf(n.id()).toCompletableFuture().join().forEach((player, epoch) -> {
                boolean held = n.world().player(player).filter(p -> p.epoch() == epoch && !p.frozen()).isPresent();
                if (!held) {
                    fail("the directory names " + n.id() + "@" + epoch + " owner of " + player + ", but "
                            + whereIs(player));
                }
            });
        }
        for (int i = 0; i < clients.size(); i++) {
            String player = clients.get(i).playerId();
            if (player == null) {
                fail("client c" + i + " is not playing at the end");
            }
            Optional<GatewayRoutes.Placement> placement = routes.placement(player);
            if (placement.isEmpty() || placement.get().held()) {
                fail("the gateway " + (placement.isEmpty() ? "has no route for " : "still holds the inputs of ")
                        + player);
            }
        }
        for (InputLedger ledger : ledgers.values()) {
            long[] missing = ledger.missing();
            if (missing[0] > 0) {
                fail("player " + ledger.playerId() + ": " + missing[0] + " of its " + ledger.lastSent()
                        + " inputs were never applied, the first seq " + missing[1] + "; " + whereIs(ledger.playerId()));
            }
        }
    }

    /** Where the player is, for the failure message. */
    private String whereIs(String playerId) {
        StringBuilder out = new StringBuilder();
        for (SimNode n : nodes) {
            n.world().player(playerId).filter(p -> n.up()).ifPresent(p -> out.append("on ").append(n.id()).append(" at epoch ")
                    .append(p.epoch()).append(p.frozen() ? " frozen" : "").append(" with last_applied_seq ")
                    .append(p.lastAppliedSeq()).append(p.connected() ? "" : ", disconnected").append("; "));
        }
        out.append(routes.placement(playerId).map(pl -> "the gateway routes it to " + pl.node() + "@" + pl.epoch()
                + (pl.held() ? ", held" : "") + " with " + pl.buffered() + " input(s) kept")
                .orElse("the gateway has no route for it"));
        return out.toString();
    }

    private static void fail(String detail) {
        throw new InvariantBroken(Rule.TERMINATION, detail);
    }
}
