package io.worldmesh.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What a process's clients trust when they dial https or wss, as a command-line option. */
final class TlsTrustOption {

    @Option(names = "--tls-trust", paramLabel = "FILE", description = "PEM CA certificate or bundle trusted when "
            + "connecting over TLS (https/wss URLs), e.g. a self-signed certificate; without it the JVM's default "
            + "trust store. The host dialled is verified against the certificate either way.")
    Path trust;
}
