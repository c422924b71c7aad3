package io.worldmesh.api;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed setting a game takes from the command line, as {@code --game-opt NAME=VALUE}: declared by its
 * {@link GameProvider#settings provider}, listed by {@code --help}, checked before anything starts, and the same
 * on every node of a cluster. Make one with {@link #integer}, {@link #number}, {@link #flag} or {@link #text}.
 *
 * @param name          lower case letters, digits and '_'
 * @param type          what its values are
 * @param defaultValue  its value when not given
 * @param min           the smallest value allowed (integers and numbers)
 * @param max           the largest value allowed (integers and numbers); for text, the longest
 * @param description   one line for {@code --help}
 */
public record GameSetting<T>(String name, Type type, T defaultValue, double min, double max, String description) {

    /** What a setting's values are, and the Java type {@link GameSettings#get} gives them as. */
    public enum Type {
        /** A whole number, as {@code Long}. */
        INTEGER,
        /** A finite number, as {@code Double}. */
        NUMBER,
        /** {@code true} or {@code false}, as {@code Boolean}. */
        FLAG,
        /** A line of text, as {@code String}. */
        TEXT
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public GameSetting {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad game setting name: " + name);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        String problem = problemWith(type, defaultValue, min, max);
        if (problem != null) {
            throw new IllegalArgumentException("the default of game setting " + name + " " + problem);
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    public static GameSetting<Long> integer(String name, long defaultValue, long min, long max, String description) {
        return new GameSetting<>(name, Type.INTEGER, defaultValue, min, max, description);
    }

    /** A finite number from {@code min} to {@code max}. */
    public static GameSetting<Double> number(String name, double defaultValue, double min, double max,
                                             String description) {
        return new GameSetting<>(name, Type.NUMBER, defaultValue, min, max, description);
    }

    public static GameSetting<Boolean> flag(String name, boolean defaultValue, String description) {
        return new GameSetting<>(name, Type.FLAG, defaultValue, 0, 1, description);
    }

    /** A line of at most 256 characters. */
    public static GameSetting<String> text(String name, String defaultValue, String description) {
        return new GameSetting<>(name, Type.TEXT, defaultValue, 0, 256, description);
    }

    /**
     * The value {@code raw} stands for.
     *
     * @throws IllegalArgumentException saying what is wrong, for the person who typed it
     */
    @SuppressWarnings("unchecked")
    public T parse(String raw) {
        Object value = switch (type) {
            case INTEGER -> {
                try {
                    yield Long.parseLong(raw.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'");
                }
            }
            case NUMBER -> {
                try {
                    yield Double.parseDouble(raw.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be a number, was '" + raw + "'");
                }
            }
            case FLAG -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(name + " must be true or false, was '" + raw + "'");
            };
            case TEXT -> raw;
        };
        String problem = problemWith(type, value, min, max);
        if (problem != null) {
            throw new IllegalArgumentException(name + " " + problem);
        }
        return (T) value;
    }

    /** How {@code --help} shows it: {@code name=default (type, range): description}. */
    public String usage() {
        String range = switch (type) {
            case INTEGER -> ", " + (long) min + ".." + (long) max;
            case NUMBER -> ", " + min + ".." + max;
            default -> "";
        };
        return name + "=" + defaultValue + " (" + type.name().toLowerCase(Locale.ROOT) + range + "): " + description;
    }

    private static String problemWith(Type type, Object value, double min, double max) {
        return switch (type) {
            case INTEGER -> value instanceof Long l ? (l < min || l > max ? "must be " + (long) min + ".."
                    + (long) max + ", was " + l : null) : "must be a Long";
            case NUMBER -> value instanceof Double d ? (!Double.isFinite(d) || d < min || d > max ? "must be "
                    + min + ".." + max + ", was " + d : null) : "must be a Double";
            case FLAG -> value instanceof Boolean ? null : "must be a Boolean";
            case TEXT -> value instanceof String s ? (s.length() > max || s.chars().anyMatch(Character::isISOControl)
                    ? "must be one line of at most " + (long) max + " characters" : null) : "must be a String";
        };
    }
}
