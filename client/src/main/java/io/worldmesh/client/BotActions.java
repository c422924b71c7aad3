package io.worldmesh.client;

import io.worldmesh.protocol.client.ClientMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The game actions a bot plays, as its welcome declared them: one picked at random, its fields filled by their
 * declared types (a short word, a number from 0 to 100 with two decimals, a coin toss), so that whatever a game
 * does with an action, and every invariant over it, gets exercised. A field of a type this client does not know
 * makes its action one the bot never sends: the server would refuse whatever it guessed.
 */
final class BotActions {

    private static final String[] WORDS = {"hello", "here", "north", "south", "east", "west", "go", "wait"};

    private record Declared(String name, Map<String, String> fields) {
    }

    private final List<Declared> actions;

    BotActions(Map<String, Map<String, String>> declared) {
        List<Declared> playable = new ArrayList<>();
        new java.util.TreeMap<>(declared).forEach((name, fields) -> {
            if (fields.values().stream().allMatch(t -> t.equals("string") || t.equals("number")
                    || t.equals("boolean"))) {
                playable.add(new Declared(name, new java.util.TreeMap<>(fields)));
            }
        });
        this.actions = List.copyOf(playable);
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    /** A random declared action with random fields of the declared types; call only when not {@link #isEmpty()}. */
    ClientMessage.GameAction pick(SplittableRandom random) {
        Declared a = actions.get(random.nextInt(actions.size()));
        Map<String, Object> fields = new LinkedHashMap<>();
        a.fields().forEach((field, type) -> fields.put(field, switch (type) {
            case "string" -> WORDS[random.nextInt(WORDS.length)];
            case "number" -> random.nextInt(10_001) / 100.0;
            default -> random.nextBoolean();
        }));
        return new ClientMessage.GameAction(a.name(), fields);
    }
}
