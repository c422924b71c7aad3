package io.worldmesh.directory.redis;

import io.worldmesh.directory.OwnerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A script's reply: a kind ({@code COMMITTED}, {@code FENCED}, ...) and its text values, as every script answers
 * (see the reply shapes at the top of each .lua file).
 */
record ScriptReply(String kind, List<String> values) {

    static ScriptReply of(List<Object> raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalStateException("empty script reply");
        }
        List<String> texts = new ArrayList<>(raw.size());
        for (Object element : raw) {
            texts.add(text(element));
        }
        return new ScriptReply(texts.getFirst(), List.copyOf(texts.subList(1, texts.size())));
    }

    /** The owner record in values {@code i} (node) and {@code i + 1} (epoch), if the reply carries one. */
    Optional<OwnerRecord> ownerAt(int i) {
        return values.size() >= i + 2
                ? Optional.of(new OwnerRecord(values.get(i), Long.parseLong(values.get(i + 1))))
                : Optional.empty();
    }

    IllegalStateException unexpected(String script) {
        return new IllegalStateException("unexpected reply from " + script + ": " + kind + " " + values);
    }

    private static String text(Object element) {
        return switch (element) {
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            case Long number -> Long.toString(number);
            case String s -> s;
            case null -> throw new IllegalStateException("nil inside a script reply");
            default -> throw new IllegalStateException("unexpected element in a script reply: " + element.getClass());
        };
    }
}
