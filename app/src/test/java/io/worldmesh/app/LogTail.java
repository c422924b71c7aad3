package io.worldmesh.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a cluster's log, for the message of a failed assertion. */
final class LogTail {

    private static final int LINES = 40;

    private LogTail() {
    }

    static String of(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
    }
}
