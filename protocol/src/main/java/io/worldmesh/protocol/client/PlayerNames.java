package io.worldmesh.protocol.client;

/**
 * What a player's name may be: text a person can read, since every other client near the player shows it. Up to
 * {@value #MAX_LENGTH} UTF-16 code units with at least one visible character; no control characters, line or
 * paragraph separators, unpaired surrogates, or the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) that would reorder the text shown around the name.
 */
public final class PlayerNames {

    public static final int MAX_LENGTH = 24;
    public static final String RULE = "'name' must be 1 to " + MAX_LENGTH + " characters a person can read: no "
            + "control characters, line breaks, bidi overrides or isolates, or unpaired surrogates";

    private PlayerNames() {
    }

    public static boolean isReadable(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        boolean visible = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (!allowed(cp)) {
                return false;
            }
            visible |= isVisible(cp);
        }
        return visible;
    }

    private static boolean allowed(int cp) {
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
            return false;
        }
        // codePointAt gives an unpaired surrogate as itself, so SURROGATE here is always a lone one.
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.SURROGATE, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Not white space, and not a format character or a mark alone (zero-width, invisible by themselves). */
    private static boolean isVisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.SPACE_SEPARATOR, Character.FORMAT, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.UNASSIGNED -> false;
            default -> !Character.isWhitespace(cp);
        };
    }
}
