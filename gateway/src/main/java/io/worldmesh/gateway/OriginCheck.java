package io.worldmesh.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a page may open the client WebSocket. A browser sends the page's {@code Origin} with every WebSocket
 * request, and any site a player visits could otherwise play as that player or flood the gateway from the player's
 * address. Allowed: no {@code Origin} (a client that is not a browser), an origin whose host and port are the
 * request's {@code Host} (the gateway's own page), and the configured ones. Pure and thread-safe.
 *
 * <p>The scheme does not count for the own page of a plain gateway: behind a TLS proxy its page is {@code https}
 * and the {@code Host} the same. A gateway that serves TLS itself serves its page over {@code https} only, so there
 * an {@code http} page of the same host (another server on port 80, say) is not its own.
 */
final class OriginCheck {

    /** What to do with one upgrade request. */
    sealed interface Verdict permits Allowed, Refused {
    }

    record Allowed() implements Verdict {
    }

    /** {@code reason}: for the HTTP 403 body. */
    record Refused(String reason) implements Verdict {
    }

    private final Set<String> allowed;
    private final boolean servesTls;

    /** For a plain gateway. */
    OriginCheck(List<String> allowedOrigins) {
        this(allowedOrigins, false);
    }

    /** {@code servesTls}: the gateway serves its page and {@code /ws} over TLS itself. */
    OriginCheck(List<String> allowedOrigins, boolean servesTls) {
        this.allowed = allowedOrigins.stream().map(o -> normalise(o).orElseThrow()).collect(Collectors.toSet());
        this.servesTls = servesTls;
    }

    Verdict check(String origin, String host) {
        if (origin == null) {
            return new Allowed();
        }
        Optional<String> normal = normalise(origin);
        if (normal.isPresent() && (allowed.contains(normal.get()) || ownPage(normal.get(), host))) {
            return new Allowed();
        }
        return new Refused("a page from origin '" + clip(origin) + "' may not open /ws here: only pages this "
                + "gateway serves (Host " + clip(String.valueOf(host)) + ") and the allowed origins may");
    }

    /**
     * {@code scheme://host[:port]} in lower case without the scheme's default port, as browsers send it (a trailing
     * {@code /} pasted into the settings is let go); empty for anything else ({@code null}, a path, another scheme).
     */
    static Optional<String> normalise(String origin) {
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            String path = u.getRawPath();
            boolean bare = (path == null || path.isEmpty() || path.equals("/")) && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || !bare) {
                return Optional.empty();
            }
            String host = u.getHost().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            return Optional.of(scheme + "://" + host + (port < 0 || port == defaultPort(scheme) ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private boolean ownPage(String normalOrigin, String host) {
        return (!servesTls || normalOrigin.startsWith("https://")) && sameHost(normalOrigin, host);
    }

    /** The origin's {@code host[:port]} is the {@code Host} header's, either without the scheme's default port. */
    private static boolean sameHost(String normalOrigin, String host) {
        if (host == null) {
            return false;
        }
        int sep = normalOrigin.indexOf("://");
        String scheme = normalOrigin.substring(0, sep);
        String h = host.trim().toLowerCase(Locale.ROOT);
        String defaultSuffix = ":" + defaultPort(scheme);
        if (h.endsWith(defaultSuffix)) {
            h = h.substring(0, h.length() - defaultSuffix.length());
        }
        return normalOrigin.substring(sep + 3).equals(h);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
