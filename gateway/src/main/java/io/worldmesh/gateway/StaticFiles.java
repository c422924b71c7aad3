package io.worldmesh.gateway;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser client's files, read from the classpath under {@code web/} on first request and kept. Only files
 * that exist are kept, each under one spelling of its name, so that requests for unknown paths leave nothing
 * behind however many there are.
 */
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

    /**
     * Names made of plain segments: no empty, "." or ".." segment and no leading dot, which a class loader reading a
     * directory would otherwise resolve as other spellings of the same file ("./index.html").
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final Map<String, File> cache = new ConcurrentHashMap<>();

    Optional<File> get(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        File cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<File> loaded = load(name);
        loaded.ifPresent(f -> cache.putIfAbsent(name, f));
        return loaded;
    }

    /** How many files are kept. */
    int cachedFiles() {
        return cache.size();
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
