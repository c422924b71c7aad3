package io.worldmesh.spec;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC on {@code Handover.tla} with one of the spec's configurations, in a child JVM (TLC ends with
 * {@code System.exit}), with the TLA+ tools jar of the test classpath, one worker (breadth-first with one worker
 * finds a shortest counterexample, the same every run), deadlock not checked (a run ends when every handover has),
 * its metadata and its output under {@code target/tlc/}.
 */
final class Tlc {

    static final Path SPEC_DIR = Path.of(System.getProperty("worldmesh.spec.dir", "")).toAbsolutePath();
    static final String SPEC = "Handover.tla";

    private static final Pattern GENERATED = Pattern.compile("(\\d+) states generated, (\\d+) distinct states found");
    private static final Pattern TRACE_STATE = Pattern.compile("(?m)^State (\\d+): ");
    private static final Pattern VIOLATED = Pattern.compile("(?m)^Error: (Invariant|Action property) (\\w+) is violated");

    private Tlc() {
    }

    /** What one run of TLC did. */
    record Run(String config, int exitCode, String output, Duration wall) {

        long generated() {
            return last(GENERATED, 1);
        }

        long distinct() {
            return last(GENERATED, 2);
        }

        /** States in the counterexample, the initial one included; 0 when there is none. */
        int traceStates() {
            return (int) last(TRACE_STATE, 1);
        }

        /** Steps of the counterexample: its transitions. */
        int traceSteps() {
            return Math.max(0, traceStates() - 1);
        }

        /** The invariants and action properties TLC reported violated. */
        List<String> violated() {
            List<String> names = new ArrayList<>();
            Matcher m = VIOLATED.matcher(output);
            while (m.find()) {
                names.add(m.group(2));
            }
            return names;
        }

        String summary() {
            return String.format("TLC %s: exit %d, %,d states generated, %,d distinct, %s, %.1f s", config, exitCode,
                    generated(), distinct(), traceStates() == 0 ? "no counterexample"
                            : "counterexample of " + traceSteps() + " steps (" + traceStates() + " states)",
                    wall.toMillis() / 1000.0);
        }

        /** The summary and the end of TLC's output, for a failing assertion. */
        String describe() {
            List<String> lines = output.lines().toList();
            return summary() + "\n... " + String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
                    lines.size()));
        }

        private long last(Pattern p, int group) {
            Matcher m = p.matcher(output);
            long value = 0;
            while (m.find()) {
                value = Long.parseLong(m.group(group));
            }
            return value;
        }
    }

    /** Checks {@code Handover.tla} with {@code <config>.cfg}; a run longer than {@code timeout} is killed. */
    static Run check(String config, Duration timeout) throws IOException, InterruptedException {
        Path work = SPEC_DIR.resolve("target").resolve("tlc").resolve(config);
        deleteTree(work);
        Path meta = Files.createDirectories(work.resolve("meta"));
        Path log = work.resolve("tlc.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xmx1g",
                "-cp", toolsJar().toString(),
                "tlc2.TLC", "-workers", "1", "-deadlock", "-metadir", meta.toString(),
                "-config", config + ".cfg", SPEC);
        long started = System.nanoTime();
        Process tlc = new ProcessBuilder(command).directory(SPEC_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = tlc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            tlc.destroyForcibly().waitFor();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!ended) {
            throw new AssertionError("TLC " + config + " did not end within " + timeout.toSeconds() + " s; its output:\n"
                    + output);
        }
        Run run = new Run(config, tlc.exitValue(), output, wall);
        System.out.println(run.summary());
        return run;
    }

    private static Path toolsJar() {
        try {
            return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the TLA+ tools jar", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
