package io.worldmesh.directory.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the directory logs in to Redis: a password ({@code requirepass}), or an ACL user and its password. Taken from
 * the environment, not the command line, which other users of the machine can read: {@value #USER},
 * {@value #PASSWORD}, or {@value #PASSWORD_FILE} (a mounted secret; its trailing newline is dropped). The password is
 * never printed: {@link #toString()} and {@link #redact(String)} leave it out.
 */
public record RedisAuth(String username, char[] password) {

    public static final String USER = "WORLDMESH_REDIS_USER";
    public static final String PASSWORD = "WORLDMESH_REDIS_PASSWORD";
    public static final String PASSWORD_FILE = "WORLDMESH_REDIS_PASSWORD_FILE";

    public RedisAuth {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a Redis password must not be empty");
        }
        password = password.clone();
    }

    @Override
    public char[] password() {
        return password.clone();
    }

    /** The login the environment names, if any; a user without a password is refused. */
    public static Optional<RedisAuth> fromEnvironment(Map<String, String> env) {
        String user = blankToNull(env.get(USER));
        String password = blankToNull(env.get(PASSWORD));
        String file = blankToNull(env.get(PASSWORD_FILE));
        if (password != null && file != null) {
            throw new IllegalArgumentException("set " + PASSWORD + " or " + PASSWORD_FILE + ", not both");
        }
        if (file != null) {
            try {
                password = Files.readString(Path.of(file), StandardCharsets.UTF_8).stripTrailing();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + PASSWORD_FILE + " " + file, e);
            }
        }
        if (password == null) {
            if (user != null) {
                throw new IllegalArgumentException(USER + " is set but no password (" + PASSWORD + " or "
                        + PASSWORD_FILE + ")");
            }
            return Optional.empty();
        }
        return Optional.of(new RedisAuth(user, password.toCharArray()));
    }

    /** {@code uri} as it may be printed: a password in its user part replaced by {@code ***}. */
    public static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return uri.substring(0, scheme + 3) + shown + uri.substring(at);
    }

    @Override
    public String toString() {
        return "RedisAuth[" + (username == null ? "password" : "user " + username) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
