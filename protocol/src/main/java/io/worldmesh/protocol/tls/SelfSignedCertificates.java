package io.worldmesh.protocol.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Throwaway self-signed certificates, for a cluster on one machine ({@code cluster --tls}) and for tests: an EC
 * P-256 key and a certificate naming every host as a subjectAltName. Vert.x's own {@code SelfSignedCertificate} puts
 * the host in the subject's CN only: a client that checks the host then accepts it for a DNS name (by the CN
 * fallback) but never for {@code 127.0.0.1}, which is matched against IP SANs alone, and browsers refuse it outright.
 * Made with the JDK alone (its KeyPairGenerator and Signature, and {@link Der} for the certificate's encoding).
 */
public final class SelfSignedCertificates {

    /** The names a cluster on this machine is reached at. */
    public static final List<String> LOCALHOST = List.of("localhost", "127.0.0.1", "::1");

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

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
            ZonedDateTime now = ZonedDateTime.now();
            byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(names.getFirst()))));
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)), // v3, for the extension
                    Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                    algorithm,
                    name,
                    Der.sequence(Der.utcTime(now.minusHours(1)), Der.utcTime(now.plus(validFor))),
                    name,
                    keys.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                    Der.explicit(3, Der.sequence(Der.sequence(Der.oid(SUBJECT_ALT_NAME),
                            Der.octets(subjectAltNames(names))))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bits(signer.sign()));
            Files.createDirectories(dir);
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(cert, pem("CERTIFICATE", certificate));
            Files.deleteIfExists(key);
            try {
                Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(key);
            }
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return new TlsFiles(cert, key, cert);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a certificate into " + dir, e);
        }
    }

    /** GeneralNames: a dNSName [2] for a host name, an iPAddress [7] for an address literal. */
    private static byte[] subjectAltNames(List<String> names) throws IOException {
        List<byte[]> entries = new ArrayList<>();
        for (String n : names) {
            if (isAddressLiteral(n)) {
                entries.add(Der.tlv(0x87, InetAddress.getByName(n).getAddress())); // a literal: no lookup
            } else {
                entries.add(Der.tlv(0x82, n.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return Der.sequence(entries.toArray(byte[][]::new));
    }

    static boolean isAddressLiteral(String name) {
        return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
