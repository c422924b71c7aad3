package io.worldmesh.protocol.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The throwaway certificate parses, verifies itself, names every host as a SAN and goes with its key. */
class SelfSignedCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void aLocalhostCertificateNamesLocalhostAndBothLoopbackAddresses() throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(tls.certificate())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        cert.verify(cert.getPublicKey()); // self-signed, and the signature is right
        cert.checkValidity(new Date());
        cert.checkValidity(Date.from(new Date().toInstant().plus(Duration.ofDays(29))));
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(tls.trust()).isEqualTo(tls.certificate());
        assertThat(tls.checked().serves()).isTrue();
        if (Files.getFileStore(tls.key()).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.key()))).isEqualTo("rw-------");
        }
    }

    @Test
    void everyCertificateHasItsOwnKey() {
        TlsFiles a = SelfSignedCertificates.create(dir.resolve("a"), List.of("a.test"), Duration.ofDays(1));
        TlsFiles b = SelfSignedCertificates.create(dir.resolve("b"), List.of("a.test"), Duration.ofDays(1));
        assertThat(a.checked()).isNotNull();
        assertThat(b.checked()).isNotNull();
        assertThat(new TlsFiles(a.certificate(), b.key(), null)).satisfies(mixed ->
                org.assertj.core.api.Assertions.assertThatThrownBy(mixed::checked)
                        .hasMessageContaining("is not the key of the certificate CN=a.test"));
    }
}
