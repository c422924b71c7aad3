package io.worldmesh.protocol.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Throwaway self-signed certificates, for a cluster on one machine ({@code cluster --tls}) and for tests: an EC
 * P-256 key and a certificate naming every host as a subjectAltName. Vert.x's own {@code SelfSignedCertificate} puts
 * the host in the subject's CN only: a client that checks the host then accepts it for a DNS name (by the CN
 * fallback) but never for {@code 127.0.0.1}, which is matched against IP SANs alone, and browsers refuse it outright.
 * The certificate is built and signed with Bouncy Castle. A module that calls this needs {@code bcpkix} on its
 * class path (the dependency is optional here).
 */
public final class SelfSignedCertificates {

    /** The names a cluster on this machine is reached at. */
    public static final List<String> LOCALHOST = List.of("localhost", "127.0.0.1", "::1");

    private SelfSignedCertificates() {
    }

    /** A certificate for {@link #LOCALHOST}, valid for 30 days, written into {@code dir}. */
    public static TlsFiles localhost(Path dir) {
        return create(dir, LOCALHOST, Duration.ofDays(30));
    }

    /**
     * Writes {@code cert.pem} and {@code key.pem} (PKCS#8, readable by its owner only where the file system says
     * so) into {@code dir}: a certificate for {@code names} (host names, or IPv4/IPv6 literals), valid from an hour
     * ago (for clocks a little behind) for {@code validFor}. The result serves with them and trusts the certificate.
     */
    public static TlsFiles create(Path dir, List<String> names, Duration validFor) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.getFirst()).build();
            Instant now = Instant.now();
            GeneralName[] altNames = names.stream().map(n -> new GeneralName(isAddressLiteral(n)
                    ? GeneralName.iPAddress : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(63, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(validFor)), subject, keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            Files.createDirectories(dir);
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(cert, pem(new PemObject("CERTIFICATE", certificate.getEncoded())));
            Files.deleteIfExists(key);
            try {
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(key);
            }
            Files.writeString(key, pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())));
            return new TlsFiles(cert, key, cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a certificate into " + dir, e);
        }
    }

    static boolean isAddressLiteral(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
