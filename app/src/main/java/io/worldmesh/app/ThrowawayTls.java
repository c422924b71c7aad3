package io.worldmesh.app;

import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --tls} of {@code cluster} and {@code demo}: a self-signed certificate for localhost, 127.0.0.1 and ::1,
 * made at start in a temporary directory that goes when the process ends. Everything the process starts serves with
 * it and trusts it; a browser has to be told to accept it.
 */
final class ThrowawayTls {

    private ThrowawayTls() {
    }

    static TlsFiles create() throws IOException {
        Path dir = Files.createTempDirectory("worldmesh-tls");
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        // Registered in reverse: the files go first, then their directory.
        dir.toFile().deleteOnExit();
        tls.certificate().toFile().deleteOnExit();
        tls.key().toFile().deleteOnExit();
        return tls;
    }
}
