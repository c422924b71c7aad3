package io.worldmesh.app;

import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS options as an operator meets them: each command that serves or dials has the ones it needs, and one
 * given wrongly (a certificate without its key, a file that is missing or not what it should be) refuses the start
 * with exit code 2 and a message that names it, before the process waits for anything.
 */
class TlsOptionsTest {

    @TempDir
    Path dir;

    /** A directory nobody answers at: a command that got past its options would wait here, and say so. */
    private static final String NOWHERE = "redis://127.0.0.1:1";

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            int code = Main.commandLine().setErr(new java.io.PrintWriter(capture, true)).execute(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aCertificateWithoutItsKeyRefusesToStartAndSaysSo() {
        Path cert = SelfSignedCertificates.localhost(dir).certificate();
        Run gateway = run("gateway", "--tls-cert", cert.toString(), "--directory", NOWHERE, "--wait", "1");
        assertThat(gateway.code()).isEqualTo(2);
        assertThat(gateway.err()).contains("worldmesh gateway refuses to start: --tls-cert " + cert
                + " needs --tls-key");

        Run node = run("node", "--id", "n1", "--tls-key", dir.resolve("key.pem").toString(), "--directory", NOWHERE,
                "--wait", "1");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err()).contains("worldmesh node n1 refuses to start: --tls-key").contains("needs --tls-cert");

        Run serve = run("serve", "--tls-cert", cert.toString(), "--port", "0");
        assertThat(serve.code()).isEqualTo(2);
        assertThat(serve.err()).contains("worldmesh serve refuses to start: --tls-cert");
    }

    @Test
    void aMissingOrWrongFileIsNamed() throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello\n");
        Path missing = dir.resolve("missing.pem");

        Run badKey = run("gateway", "--tls-cert", tls.certificate().toString(), "--tls-key", notAKey.toString(),
                "--directory", NOWHERE, "--wait", "1");
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err()).contains("TLS key " + notAKey + " holds no PEM private key");

        Run noTrust = run("node", "--id", "n1", "--tls-trust", missing.toString(), "--directory", NOWHERE,
                "--wait", "1");
        assertThat(noTrust.code()).isEqualTo(2);
        assertThat(noTrust.err()).contains("TLS trust bundle " + missing + " does not exist");

        Run bots = run("bots", "--url", "wss://localhost:1/ws", "--tls-trust", missing.toString());
        assertThat(bots.code()).isEqualTo(2);
        assertThat(bots.err()).contains("worldmesh bots: TLS trust bundle " + missing + " does not exist");

        Run demo = run("demo", "--tls", "--tls-cert", tls.certificate().toString(), "--tls-key",
                tls.key().toString());
        assertThat(demo.code()).isEqualTo(2);
        assertThat(demo.err()).contains("--tls makes its own certificate");
    }

    @Test
    void eachCommandHasTheTlsOptionsItNeeds() {
        assertThat(usage("gateway")).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-trust=FILE");
        assertThat(usage("node")).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-trust=FILE");
        assertThat(usage("serve")).contains("--tls-cert=FILE", "--tls-key=FILE").doesNotContain("--tls-trust");
        assertThat(usage("demo")).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls ");
        assertThat(usage("cluster")).contains("--tls ");
        assertThat(usage("bots")).contains("--tls-trust=FILE").doesNotContain("--tls-cert");
    }

    private static String usage(String command) {
        return Main.commandLine().getSubcommands().get(command).getUsageMessage();
    }
}
