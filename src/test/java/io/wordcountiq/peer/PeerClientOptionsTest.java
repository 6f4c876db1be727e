package io.wordcountiq.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.wordcountiq.config.VertxOptionsAccess;
import io.wordcountiq.settings.Settings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one client for calls to peers keeps its limits, and over HTTPS checks whom it talks to. */
class PeerClientOptionsTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheHopsLimitsOverPlainHttp() throws Exception {
        HttpClientOptions options = PeerClient.options(Settings.withDefaults(Map.of("forward.connect.timeout.ms", "700")));

        assertThat(options.getConnectTimeout()).isEqualTo(700);
        assertThat(options.isKeepAlive()).isTrue();
        assertThat(options.isTryUseCompression()).isFalse();
        assertThat(options.isSsl()).isFalse();
    }

    @Test
    void shouldVerifyTheHostAndNameItOverHttpsWithTheConfiguredCas() throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, pem(anyCaCertificate()), StandardCharsets.US_ASCII);

        HttpClientOptions options = PeerClient.options(
                Settings.withDefaults(Map.of("forward.scheme", "https", "forward.truststore", pem.toString())));

        assertThat(options.isSsl()).as("every hop is TLS").isTrue();
        assertThat(options.isVerifyHost()).as("the certificate must name the host").isTrue();
        assertThat(options.isForceSni()).as("the host is named to the ingress").isTrue();
        assertThat(options.getTrustOptions()).as("FORWARD_TRUSTSTORE's CAs").isNotNull();
    }

    @Test
    void shouldResolveWithTheJvmsHostsFileWhenOneIsGiven() {
        String before = System.getProperty("jdk.net.hosts.file");
        try {
            System.setProperty("jdk.net.hosts.file", dir.resolve("hosts").toString());
            VertxOptions options = VertxOptionsAccess.vertxOptions(Settings.withDefaults(Map.of()));
            assertThat(options.getAddressResolverOptions().getHostsPath()).isEqualTo(dir.resolve("hosts").toString());
        } finally {
            if (before == null) {
                System.clearProperty("jdk.net.hosts.file");
            } else {
                System.setProperty("jdk.net.hosts.file", before);
            }
        }
    }

    /** A CA certificate from the JDK's own trust store, so the test needs no tool to make one. */
    private static Certificate anyCaCertificate() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        return cacerts.getCertificate(Collections.list(cacerts.aliases()).get(0));
    }

    private static String pem(Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
