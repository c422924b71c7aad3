package io.worldmesh.protocol.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What is wrong with the files is said before anything listens, naming the file; and the Vert.x options made from
 * them serve TLS and verify the server, its certificate and its host, on a real server.
 */
class TlsFilesTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void aCertificateNeedsItsKeyAndAKeyItsCertificate() {
        assertThatThrownBy(() -> new TlsFiles(dir.resolve("cert.pem"), null, null))
                .hasMessageContaining("TLS certificate").hasMessageContaining("needs its private key");
        assertThatThrownBy(() -> new TlsFiles(null, dir.resolve("key.pem"), null))
                .hasMessageContaining("needs its certificate");
        assertThat(TlsFiles.NONE.serves()).isFalse();
        assertThat(TlsFiles.NONE.checked()).isEqualTo(TlsFiles.NONE);
    }

    @Test
    void eachBadFileIsNamedWithWhatIsWrong() throws Exception {
        TlsFiles good = SelfSignedCertificates.localhost(dir.resolve("good"));
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not pem at all\n");
        Path brokenCert = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path encrypted = Files.writeString(dir.resolve("encrypted.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path brokenKey = Files.writeString(dir.resolve("broken-key.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> new TlsFiles(missing, good.key(), null).checked())
                .hasMessage("TLS certificate " + missing + " does not exist");
        assertThatThrownBy(() -> new TlsFiles(dir, good.key(), null).checked())
                .hasMessage("TLS certificate " + dir + " is not a file");
        assertThatThrownBy(() -> new TlsFiles(garbage, good.key(), null).checked())
                .hasMessageContaining("TLS certificate " + garbage + " holds no PEM certificate");
        assertThatThrownBy(() -> new TlsFiles(brokenCert, good.key(), null).checked())
                .hasMessageStartingWith("TLS certificate " + brokenCert + " is not a readable certificate");
        assertThatThrownBy(() -> new TlsFiles(good.certificate(), missing, null).checked())
                .hasMessage("TLS key " + missing + " does not exist");
        assertThatThrownBy(() -> new TlsFiles(good.certificate(), garbage, null).checked())
                .hasMessageContaining("TLS key " + garbage + " holds no PEM private key");
        assertThatThrownBy(() -> new TlsFiles(good.certificate(), good.certificate(), null).checked())
                .hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> new TlsFiles(good.certificate(), encrypted, null).checked())
                .hasMessageContaining("TLS key " + encrypted + " is encrypted");
        assertThatThrownBy(() -> new TlsFiles(good.certificate(), brokenKey, null).checked())
                .hasMessageStartingWith("TLS key " + brokenKey + " is not a readable EC private key");
        assertThatThrownBy(() -> TlsFiles.trusting(missing).checked())
                .hasMessage("TLS trust bundle " + missing + " does not exist");
        assertThatThrownBy(() -> TlsFiles.trusting(good.key()).checked())
                .hasMessageContaining("TLS trust bundle " + good.key() + " holds no PEM certificate");
    }

    @Test
    void aTrustedCertificateForTheHostDialledIsAcceptedAndNothingElseIs() throws Exception {
        TlsFiles localhost = SelfSignedCertificates.localhost(dir.resolve("localhost"));
        int port = vertx.createHttpServer(localhost.serverOptions(new HttpServerOptions().setHost("127.0.0.1")))
                .requestHandler(req -> req.response().end("hello over tls"))
                .listen(0).await(10, TimeUnit.SECONDS).actualPort();

        assertThat(get(TlsFiles.trusting(localhost.trust()), "localhost", port)).isEqualTo("hello over tls");
        assertThat(get(TlsFiles.trusting(localhost.trust()), "127.0.0.1", port)).isEqualTo("hello over tls");
        assertThatThrownBy(() -> get(TlsFiles.NONE, "127.0.0.1", port))
                .as("not in the JVM's default trust store").hasStackTraceContaining("PKIX");
        TlsFiles elsewhere = SelfSignedCertificates.create(dir.resolve("elsewhere"), List.of("elsewhere.test"),
                Duration.ofDays(1));
        int other = vertx.createHttpServer(elsewhere.serverOptions(new HttpServerOptions().setHost("127.0.0.1")))
                .requestHandler(req -> req.response().end("wrong host"))
                .listen(0).await(10, TimeUnit.SECONDS).actualPort();
        assertThatThrownBy(() -> get(TlsFiles.trusting(elsewhere.trust()), "127.0.0.1", other))
                .as("trusted, but for another host")
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
        assertThatThrownBy(() -> get(TlsFiles.trusting(elsewhere.trust()), "localhost", other))
                .hasStackTraceContaining("No subject alternative DNS name matching localhost found");

        // The JDK's own client, as the cluster's auditor uses it.
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder()
                .sslContext(TlsFiles.trusting(localhost.trust()).sslContext()).build();
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("hello over tls");
    }

    @Test
    void theSchemeSaysWhetherAUrlIsDialledWithTls() {
        assertThat(TlsFiles.isSecure(URI.create("https://a:1"))).isTrue();
        assertThat(TlsFiles.isSecure(URI.create("WSS://a:1/ws"))).isTrue();
        assertThat(TlsFiles.isSecure(URI.create("http://a:1"))).isFalse();
        assertThat(TlsFiles.isSecure(URI.create("ws://a:1/ws"))).isFalse();
    }

    private String get(TlsFiles trust, String host, int port) throws Exception {
        HttpClient client = vertx.createHttpClient(trust.clientOptions(new HttpClientOptions()));
        try {
            return client.request(new RequestOptions().setHost(host).setPort(port).setURI("/").setSsl(true))
                    .compose(req -> req.send().compose(resp -> resp.body()))
                    .await(10, TimeUnit.SECONDS).toString();
        } finally {
            client.close();
        }
    }
}
