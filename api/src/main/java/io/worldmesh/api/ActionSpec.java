package io.worldmesh.api;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An action a game accepts from clients besides movement, e.g. {@code drop} or {@code use {target: STRING}}.
 * The engine checks every incoming action against its spec before the game sees it: an undeclared action, a
 * missing or extra field, or a value of the wrong type is refused with an error and changes nothing.
 *
 * @param name    lower case letters, digits and '_'
 * @param fields  every field the action must carry, with its type
 */
public record ActionSpec(String name, Map<String, ActionField> fields) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public ActionSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad action name: " + name);
        }
        if (fields.containsKey("name")) {
            throw new IllegalArgumentException("an action field cannot be called 'name': the action's name uses it");
        }
        fields = Map.copyOf(fields);
    }

    public static ActionSpec of(String name) {
        return new ActionSpec(name, Map.of());
    }

    /** Empty when {@code action} matches this spec exactly, otherwise what is wrong, for the client. */
    public Optional<String> check(Action action) {
        for (Map.Entry<String, ActionField> f : fields.entrySet()) {
            Object v = action.fields().get(f.getKey());
            if (v == null) {
                return Optional.of("action '" + name + "' needs field '" + f.getKey() + "'");
            }
            boolean ok = switch (f.getValue()) {
                case STRING -> v instanceof String s && s.length() <= 256;
                case NUMBER -> v instanceof Double d && Double.isFinite(d);
                case BOOLEAN -> v instanceof Boolean;
            };
            if (!ok) {
                return Optional.of("field '" + f.getKey() + "' of action '" + name + "' must be "
                        + f.getValue().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        for (String k : action.fields().keySet()) {
            if (!fields.containsKey(k)) {
                return Optional.of("action '" + name + "' has no field '" + k + "'");
            }
        }
        return Optional.empty();
    }
}
