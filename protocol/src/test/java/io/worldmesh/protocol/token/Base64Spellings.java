package io.worldmesh.protocol.token;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Other spellings of a token's unpadded base64url tail that a decoder takes for the same bytes. */
public final class Base64Spellings {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Base64Spellings() {
    }

    /** {@code token} with its last character changed in the bits a decoder ignores, each way there is. */
    public static List<String> sameBytes(String token) {
        int dot = token.lastIndexOf('.');
        String tail = token.substring(dot + 1);
        byte[] bytes = Base64.getUrlDecoder().decode(tail);
        int last = ALPHABET.indexOf(tail.charAt(tail.length() - 1));
        List<String> out = new ArrayList<>();
        for (int v = 0; v < 64; v++) {
            String variant = token.substring(0, token.length() - 1) + ALPHABET.charAt(v);
            if (v != last && java.util.Arrays.equals(Base64.getUrlDecoder().decode(
                    variant.substring(dot + 1)), bytes)) {
                out.add(variant);
            }
        }
        return out;
    }
}
