package io.worldmesh.protocol.trace;

/**
 * The W3C {@code traceparent} of a handover's trace, as it travels in link frames and HTTP headers:
 * {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}, 55 characters. Anything else (longer, shorter,
 * upper case, an all-zero id, version {@code ff}) is not a trace context: it is ignored, never an error, since
 * whoever sends it may be hostile and tracing must not change what the protocol does.
 */
public final class TraceParent {

    /** The length of a version-00 {@code traceparent}; nothing longer is read or kept. */
    public static final int LENGTH = 55;

    private TraceParent() {
    }

    /** {@code value} if it is a valid {@code traceparent}, else null. */
    public static String orNull(String value) {
        return isValid(value) ? value : null;
    }

    /** A valid {@code traceparent} whose trace is recorded (the flags' sampled bit). */
    public static boolean isSampled(CharSequence s) {
        return isValid(s) && (Character.digit(s.charAt(54), 16) & 1) == 1;
    }

    public static boolean isValid(CharSequence s) {
        if (s == null || s.length() != LENGTH || s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
            return false;
        }
        if (!hex(s, 0, 2) || (s.charAt(0) == 'f' && s.charAt(1) == 'f')) {
            return false;
        }
        return hex(s, 3, 35) && !zeros(s, 3, 35) && hex(s, 36, 52) && !zeros(s, 36, 52) && hex(s, 53, 55);
    }

    private static boolean hex(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
