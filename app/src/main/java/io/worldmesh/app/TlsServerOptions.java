package io.worldmesh.app;

import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** A server's TLS certificate and key as command-line options: both or neither, and with them TLS only. */
final class TlsServerOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (the server's own "
            + "first) to serve TLS with, and nothing but TLS: https and wss. Needs --tls-key. The certificate must "
            + "name the host clients dial (a subjectAltName), which they verify.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert, unencrypted "
            + "(PKCS#8, PKCS#1 RSA or SEC1 EC); keep it readable by this user only.")
    Path key;

    /**
     * The files with {@code trust} (null: the JVM's default trust store), each read and checked now.
     *
     * @throws IllegalArgumentException saying which option or file is wrong, and how
     */
    TlsFiles files(Path trust) {
        if (certificate != null && key == null) {
            throw new IllegalArgumentException("--tls-cert " + certificate + " needs --tls-key, its private key");
        }
        if (key != null && certificate == null) {
            throw new IllegalArgumentException("--tls-key " + key + " needs --tls-cert, the certificate it is the "
                    + "key of");
        }
        return new TlsFiles(certificate, key, trust).checked();
    }
}
