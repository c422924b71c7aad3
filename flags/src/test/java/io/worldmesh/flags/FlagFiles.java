package io.worldmesh.flags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes flag files the way operators are told to: whole, by rename. */
final class FlagFiles {

    private FlagFiles() {
    }

    static void write(Path file, String content) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".flags-", ".tmp");
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A flagd file holding these flag entries, each {@code "key": {...}}. */
    static String file(String... flags) {
        return "{\"$schema\": \"https://flagd.dev/schema/v0/flags.json\", \"flags\": {" + String.join(", ", flags)
                + "}}";
    }

    /** A boolean flag with variants on and off. */
    static String bool(String key, String state, String defaultVariant) {
        return "\"" + key + "\": {\"state\": \"" + state + "\", \"variants\": {\"on\": true, \"off\": false}, "
                + "\"defaultVariant\": \"" + defaultVariant + "\"}";
    }

    static String handover(String defaultVariant) {
        return file(bool(WorldmeshFlags.CROSS_NODE_HANDOVER, "ENABLED", defaultVariant));
    }

    /** {@code content} padded with trailing spaces to exactly {@code bytes} bytes (ASCII content). */
    static String paddedTo(String content, int bytes) {
        return content + " ".repeat(bytes - content.length());
    }
}
