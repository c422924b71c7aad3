package io.worldmesh.protocol.tls;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM files TLS is set up from ({@code --tls-cert}, {@code --tls-key}, {@code --tls-trust}); a null one is not
 * given. A server presents {@code certificate} (its chain, leaf first) and holds its {@code key}: both or neither,
 * and with them it serves TLS only. A client dialling an {@code https} or {@code wss} URL trusts {@code trust} (a CA
 * or a bundle of certificates), or the JVM's default trust store without it. Verification is never turned off, and
 * the host dialled must be one the server's certificate names. The one place gateway, node and client take their
 * Vert.x TLS options from.
 */
public record TlsFiles(Path certificate, Path key, Path trust) {

    public static final TlsFiles NONE = new TlsFiles(null, null, null);

    /**
     * A connection whose TLS handshake has not finished in this long is closed: one that connects and never speaks,
     * or dribbles its hello, holds its socket no longer. (Vert.x's default too; set so that it stays this.)
     */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** A PEM private key block: PKCS#8 (plain or encrypted), PKCS#1 RSA or SEC1 EC. */
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ((?:RSA |EC |ENCRYPTED )?)PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END \\1PRIVATE KEY-----");

    public TlsFiles {
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException(certificate == null
                    ? "a TLS key (" + key + ") needs its certificate"
                    : "a TLS certificate (" + certificate + ") needs its private key");
        }
    }

    /** A client's: no certificate of its own, and {@code bundle} trusted (null: the JVM's default). */
    public static TlsFiles trusting(Path bundle) {
        return new TlsFiles(null, null, bundle);
    }

    public TlsFiles withTrust(Path bundle) {
        return new TlsFiles(certificate, key, bundle);
    }

    /** Whether a server set up from these serves TLS. */
    public boolean serves() {
        return certificate != null;
    }

    /** {@code https} for a server that serves TLS, else {@code http}. */
    public String httpScheme() {
        return serves() ? "https" : "http";
    }

    /** {@code wss} for a server that serves TLS, else {@code ws}. */
    public String webSocketScheme() {
        return serves() ? "wss" : "ws";
    }

    /** Whether {@code url} is dialled with TLS: {@code https} or {@code wss}. */
    public static boolean isSecure(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || scheme.equals("wss");
    }

    /**
     * Reads every file now, so that a bad one stops a start with a message that names it and what is wrong (missing,
     * unreadable, not PEM, a key that is not the certificate's) rather than failing the first connection.
     *
     * @throws IllegalArgumentException saying what is wrong with which file
     */
    public TlsFiles checked() {
        if (certificate != null) {
            X509Certificate leaf = certificates(certificate, "TLS certificate").getFirst();
            checkKey(key, leaf);
        }
        if (trust != null) {
            certificates(trust, "TLS trust bundle");
        }
        return this;
    }

    /**
     * {@code options}, serving TLS only with this certificate when there is one (a plain HTTP request on the port
     * then fails its handshake and is closed), with the handshake bounded by {@link #HANDSHAKE_TIMEOUT}.
     */
    public HttpServerOptions serverOptions(HttpServerOptions options) {
        if (!serves()) {
            return options;
        }
        return options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(absolute(certificate))
                        .setKeyPath(absolute(key)))
                .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT.toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /**
     * {@code options}, trusting the bundle when there is one; the JVM's default trust store otherwise. Whether a
     * connection uses TLS is its URL's ({@link #isSecure}); the host is verified either way (Vert.x's default).
     */
    public <T extends ClientOptionsBase> T clientOptions(T options) {
        if (trust != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(absolute(trust)));
        }
        options.setSslHandshakeTimeout(HANDSHAKE_TIMEOUT.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        return options;
    }

    /** For the JDK's own clients (java.net.http): trusting the bundle when there is one, else the JVM's default. */
    public SSLContext sslContext() {
        try {
            if (trust == null) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> trusted = certificates(trust, "TLS trust bundle");
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up trust in " + trust + ": " + e.getMessage(), e);
        }
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().toString();
    }

    private static String read(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a file");
        }
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; a binary file still reads
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + file + " cannot be read: " + e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(what + " " + file
                    + " holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)");
        }
        try {
            List<X509Certificate> out = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)))
                    .stream().map(X509Certificate.class::cast).toList();
            if (out.isEmpty()) {
                throw new IllegalArgumentException(what + " " + file + " holds no certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " " + file + " is not a readable certificate: "
                    + e.getMessage());
        }
    }

    /** The key is PEM Vert.x reads; a PKCS#8 one must also be the certificate's (it signs what the leaf verifies). */
    private static void checkKey(Path file, X509Certificate leaf) {
        String what = "TLS key";
        Matcher m = PEM_KEY.matcher(read(file, what));
        if (!m.find()) {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM private key (a -----BEGIN "
                    + "PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY block)");
        }
        switch (m.group(1).trim()) {
            case "ENCRYPTED" -> throw new IllegalArgumentException(what + " " + file + " is encrypted; give it "
                    + "unencrypted (e.g. openssl pkey -in " + file + " -out plain.pem), readable only by this user");
            case "" -> {
                String algorithm = leaf.getPublicKey().getAlgorithm();
                PrivateKey privateKey;
                try {
                    privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(
                            Base64.getMimeDecoder().decode(m.group(2))));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(what + " " + file + " is not a readable " + algorithm
                            + " private key (the certificate's is " + algorithm + "): " + e.getMessage());
                }
                if (!holds(privateKey, leaf)) {
                    throw new IllegalArgumentException(what + " " + file + " is not the key of the certificate "
                            + leaf.getSubjectX500Principal().getName());
                }
            }
            default -> { } // PKCS#1 or SEC1: Vert.x reads them; a wrong one fails the server's start
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies; true for algorithms not tried here. */
    private static boolean holds(PrivateKey key, X509Certificate leaf) {
        String signature = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (signature == null) {
            return true;
        }
        try {
            byte[] probe = "worldmesh tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(signature);
            s.initSign(key);
            s.update(probe);
            byte[] signed = s.sign();
            s.initVerify(leaf.getPublicKey());
            s.update(probe);
            return s.verify(signed);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
