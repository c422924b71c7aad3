package io.worldmesh.gateway;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The browser client's files, read once from the classpath under {@code web/}. */
final class StaticFiles {

    record File(Buffer content, String contentType) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    Optional<File> get(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.contains("..") || name.contains("//") || name.startsWith("/")) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(name, StaticFiles::load);
    }

    private static Optional<File> load(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("web/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new File(Buffer.buffer(in.readAllBytes()), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
