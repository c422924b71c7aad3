package io.worldmesh.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.Side;
import io.worldmesh.node.NodeRuntime;
import io.worldmesh.node.core.BenchHandoverStart;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.json.JsonOut;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark-only endpoints, served only by a node started with {@code --bench-hooks} (every other node answers
 * 403). {@code POST /bench/handover?player=ID} starts a cross-node handover of a player here across the nearest
 * node border, now, and answers once the handover has ended on this node, its source, with the source's report:
 * the phases as {@link HandoverReport} defines them, in nanoseconds (-1 for a phase that did not happen).
 */
final class BenchHooks {

    /** Longer than the source's own longest wait (the 30 s for CLEANUP), so that every handover reports. */
    static final long ANSWER_TIMEOUT_MS = 60_000;

    private record Waiting(HttpServerResponse response, String targetNode, long timer) {
    }

    private final Vertx vertx;
    private final NodeRuntime runtime;
    private final Map<String, Waiting> byToken = new ConcurrentHashMap<>();

    BenchHooks(Vertx vertx, NodeRuntime runtime) {
        this.vertx = vertx;
        this.runtime = runtime;
        runtime.onReport(this::onReport);
    }

    /** What a node without the hooks answers on {@code /bench/...}. */
    static void refuseOff(HttpServerRequest req) {
        answer(req.response(), 403, refusal("bench_hooks_off",
                "benchmark hooks are off; start the node with --bench-hooks"));
    }

    void onRequest(HttpServerRequest req) {
        if (!req.path().equals("/bench/handover")) {
            answer(req.response(), 404, refusal("unknown_hook", "the only benchmark hook is POST /bench/handover"));
            return;
        }
        String player = req.getParam("player");
        if (req.method() != HttpMethod.POST || player == null || !player.matches("[A-Za-z0-9_.-]{1,64}")) {
            answer(req.response(), 400, refusal("malformed", "POST /bench/handover?player=ID"));
            return;
        }
        HttpServerResponse response = req.response();
        CompletableFuture<BenchHandoverStart> started = new CompletableFuture<>();
        // Completed on the simulation thread, before any report of the handover it started can be made there.
        started.whenComplete((s, e) -> {
            switch (s) {
                case null -> answer(response, 500, refusal("failed", String.valueOf(e)));
                case BenchHandoverStart.Refused r -> answer(response, 409, refusal("not_started", r.reason()));
                case BenchHandoverStart.Started st -> {
                    long timer = vertx.setTimer(ANSWER_TIMEOUT_MS, t -> {
                        Waiting late = byToken.remove(st.token());
                        if (late != null) {
                            answer(late.response(), 504, refusal("no_report", "the handover did not end in time"));
                        }
                    });
                    byToken.put(st.token(), new Waiting(response, st.targetNode(), timer));
                }
            }
        });
        if (!runtime.offer(new NodeInput.BenchHandover(player, started))) {
            answer(response, 503, refusal("busy", "the simulation's mailbox is full"));
        }
    }

    private void onReport(HandoverReport r) {
        if (r.side() != Side.SOURCE) {
            return;
        }
        Waiting w = byToken.remove(r.token());
        if (w == null) {
            return; // a handover of a walking player
        }
        vertx.cancelTimer(w.timer());
        JsonOut o = new JsonOut(256);
        o.raw("{\"status\":\"ENDED\",\"player\":").string(r.playerId()).raw(",\"target\":").string(w.targetNode())
                .raw(",\"outcome\":").string(r.outcome().name()).raw(",\"reason\":").string(r.reason())
                .raw(",\"prepare_ns\":").number(r.prepareNanos()).raw(",\"commit_ns\":").number(r.commitNanos())
                .raw(",\"route_ns\":").number(r.routeNanos()).raw(",\"total_ns\":").number(r.totalNanos())
                .raw('}');
        answer(w.response(), 200, o.toString());
    }

    private static String refusal(String code, String reason) {
        return new JsonOut(128).raw("{\"status\":\"REFUSED\",\"code\":").string(code).raw(",\"reason\":")
                .string(reason).raw('}').toString();
    }

    private static void answer(HttpServerResponse response, int status, String json) {
        try {
            response.setStatusCode(status).putHeader("content-type", "application/json").end(json);
        } catch (IllegalStateException closed) {
            // the benchmark went away
        }
    }
}
