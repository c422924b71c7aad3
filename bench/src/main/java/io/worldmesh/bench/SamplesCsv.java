package io.worldmesh.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Every handover of a run, one CSV row each, for a closer look at where the time goes. */
final class SamplesCsv {

    private SamplesCsv() {
    }

    static void write(Path file, Map<String, List<HandoverSample>> byPhase, Map<String, BenchPlayer> players)
            throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("phase,player,from,to,start_ns,prepare_ns,commit_ns,route_ns,total_ns,hook_ns,gap_ns,problem");
            for (Map.Entry<String, List<HandoverSample>> e : byPhase.entrySet()) {
                for (HandoverSample s : e.getValue()) {
                    long gap = s.committed() ? players.get(s.playerId()).gapAround(s) : -1;
                    w.println(String.join(",", e.getKey(), s.playerId(), s.fromNode(), String.valueOf(s.toNode()),
                            String.valueOf(s.startNanos()), String.valueOf(s.prepareNanos()),
                            String.valueOf(s.commitNanos()), String.valueOf(s.routeNanos()),
                            String.valueOf(s.totalNanos()), String.valueOf(s.endNanos() - s.startNanos()),
                            String.valueOf(gap), s.problem() == null ? "" : '"' + s.problem().replace('"', '\'') + '"'));
                }
            }
        }
    }
}
