package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InputTopic;
import io.wordcountiq.support.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and hostile requests, byte for byte: each gets its 4xx and a JSON error, and normal traffic goes on. */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/hostile-input-test-data", "http.port=18470", "management.port=18471", "routes.reload.interval.ms=0", "topic.partitions=1",
        "max.body.bytes=65536", "ingest.token=test-ingest-token"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    static {
        FreshFolder.of("target/hostile-input-test-data");
    }

    private static final int PORT = 18470;

    @org.apache.camel.BeanInject("settings")
    io.wordcountiq.settings.Settings settings;
    private static final String AUTH = "Authorization: Bearer test-ingest-token\r\n";
    /** The extension may start a fresh context (and broker) for a test; load the one line whenever it is missing. */
    @BeforeEach
    void loadWhenMissing() {
        Http.awaitReady(18471);
        if (Http.get("http://localhost:" + PORT + "/state/keyvalue/word-count/hello").status() != 200) {
            Http.awaitReady(18471);
            assertThat(Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + PORT + "/lines"))
                    .header("Content-Type", "text/plain").header("Authorization", "Bearer test-ingest-token")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello hostile world")).build()).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get("http://localhost:" + PORT + "/state/keyvalue/word-count/hello").status() == 200);
        }
    }

    @AfterEach
    void stillServesNormalTraffic() {
        Http.Reply reply = Http.get("http://localhost:" + PORT + "/state/keyvalue/word-count/hello");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"key\":\"hello\",\"value\":1}");
    }

    static Stream<Arguments> hostile() {
        String now = Long.toString(System.currentTimeMillis());
        byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'};
        return Stream.of(
                get("path traversal in the store", "/state/keyvalue/..%2F..%2Fetc%2Fpasswd/hello", 404),
                get("encoded slash in the store", "/state/keyvalue/word-count%2F..%2Fx/hello", 404),
                get("dot segments in the path", "/state/keyvalue/../../etc/passwd", 404),
                get("encoded dot segments in the path", "/state/%2e%2e/%2e%2e/etc/passwd", 404),
                get("traversal inside a key is just an unknown word", "/state/keyvalue/word-count/..%2F..%2Fetc%2Fpasswd", 404),
                get("very long key", "/state/keyvalue/word-count/" + "a".repeat(2000), 414),
                get("very long range bound", "/state/keyvalues/word-count/range/a/" + "z".repeat(1000), 414),
                get("NUL in a key", "/state/keyvalue/word-count/a%00b", 400),
                get("CR LF in a key", "/state/keyvalue/word-count/a%0D%0AX-Injected:%201", 400),
                get("overlong UTF-8 in a key", "/state/keyvalue/word-count/%C0%AF", 400),
                get("lone UTF-8 continuation byte in a key", "/state/keyvalue/word-count/%80abc", 400),
                get("negative window bound", "/state/windowed/windowed-word-count/hello/-5/" + now, 400),
                get("huge window bound", "/state/windowed/windowed-word-count/hello/0/99999999999999999999999", 400),
                get("reversed window bounds", "/state/windowed/windowed-word-count/hello/" + now + "/0", 400),
                get("non-numeric window bound", "/state/windowed/windowed-word-count/hello/0/now", 400),
                get("float window bound", "/state/windowed/windowed-word-count/hello/0/1.5e12", 400),
                get("unknown store", "/state/keyvalue/secrets/hello", 404),
                get("window store on the key-value path", "/state/keyvalue/windowed-word-count/hello", 400),
                get("key-value store on the windowed path", "/state/windowed/word-count/hello/0/" + now, 400),
                get("unknown store for all", "/state/keyvalues/nope/all", 404),
                get("window store for all", "/state/keyvalues/windowed-word-count/all", 400),
                get("unknown path", "/admin", 404),
                get("GET on /lines", "/lines", 405),
                Arguments.of("DELETE a key", RawHttp.request("DELETE", "/state/keyvalue/word-count/hello", null, null, null), 405),
                Arguments.of("PUT lines", RawHttp.request("PUT", "/lines", null, "text/plain", bytes("x")), 405),
                Arguments.of("POST to a query path", RawHttp.request("POST", "/state/keyvalue/word-count/hello", null, "text/plain", bytes("x")), 405),
                Arguments.of("POST lines as JSON", RawHttp.request("POST", "/lines", AUTH, "application/json", bytes("{}")), 415),
                Arguments.of("POST lines as a form", RawHttp.request("POST", "/lines", AUTH, "application/x-www-form-urlencoded", bytes("a=b")), 415),
                Arguments.of("POST lines without a content type", RawHttp.request("POST", "/lines", AUTH, null, bytes("hello")), 415),
                Arguments.of("POST empty lines", RawHttp.request("POST", "/lines", AUTH, "text/plain", new byte[0]), 400),
                Arguments.of("POST only blank lines", RawHttp.request("POST", "/lines", AUTH, "text/plain", bytes("\n  \n\t\n")), 400),
                Arguments.of("POST invalid UTF-8", RawHttp.request("POST", "/lines", AUTH, "text/plain", invalidUtf8), 400),
                Arguments.of("POST over the size limit", RawHttp.request("POST", "/lines", AUTH, "text/plain", bytes("word ".repeat(20_000))), 413),
                Arguments.of("POST lines without a token", RawHttp.request("POST", "/lines", null, "text/plain", bytes("intruder")), 401),
                Arguments.of("POST lines with a wrong token", RawHttp.request("POST", "/lines", "Authorization: Bearer guess\r\n", "text/plain", bytes("intruder")), 401),
                Arguments.of("POST lines with a token without the Bearer scheme", RawHttp.request("POST", "/lines", "Authorization: test-ingest-token\r\n", "text/plain", bytes("intruder")), 401));
        // Forged forwarding marks and steering headers are tested where forwarding happens: ForwardingIT.
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void shouldAnswerWithTheRightStatusAndAJsonError(String why, byte[] request, int status) throws IOException {
        RawHttp.Response response = RawHttp.send(PORT, request);

        assertThat(response.status()).as(response.head()).isEqualTo(status);
        assertThat(response.head().toLowerCase()).contains("content-type: application/json");
        assertThat(response.body()).startsWith("{\"status\":" + status + ",\"error\":\"").doesNotContain("Exception", "\tat ");
        assertThat(response.head()).doesNotContain("X-Injected");
    }

    @Test
    void shouldAskForTheIngestTokenAndWriteNothingWithoutIt() throws IOException {
        RawHttp.Response response = RawHttp.send(PORT, RawHttp.request("POST", "/lines", null, "text/plain", bytes("intruder")));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.head()).containsIgnoringCase("WWW-Authenticate: Bearer");
        // A marker written with the token after the refusal, counted (read back with its token); then the input topic,
        // read to its end with read_committed, holds the marker and no line of the refused request.
        RawHttp.Response marker = RawHttp.send(PORT, RawHttp.request("POST", "/lines", AUTH, "text/plain",
                bytes("intrudermarker")));
        assertThat(marker.status()).isEqualTo(202);
        String token = marker.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(Http.get("http://localhost:" + PORT + "/state/keyvalue/word-count/intrudermarker", "X-IQ-Token", token)
                .body()).isEqualTo("{\"key\":\"intrudermarker\",\"value\":1}");
        List<String> written = InputTopic.readCommitted(settings.bootstrapServers(), settings.inputTopic());
        assertThat(written).contains("intrudermarker");
        assertThat(written).as("nothing of the refused request was written").noneMatch(line -> line.contains("intruder")
                && !line.equals("intrudermarker"));
    }

    @Test
    void shouldRefuseMalformedPercentEncodingWithAJsonErrorToo() throws IOException {
        // Vert.x cannot decode the path and fails the request before routing; the router's error handler answers.
        RawHttp.Response response = RawHttp.send(PORT, RawHttp.request("GET", "/state/keyvalue/word-count/%zz", null, null, null));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.head().toLowerCase()).contains("content-type: application/json");
        assertThat(response.body()).startsWith("{\"status\":400,\"error\":\"").doesNotContain("Exception");
    }

    @Test
    void shouldKeepServingWhileSlowClientsHoldConnections() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("localhost", PORT);
                s.getOutputStream().write("GET /state/keyvalue/word-count/hello HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThat(Http.get("http://localhost:" + PORT + "/state/keyvalue/word-count/hello").status()).isEqualTo(200);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static Arguments get(String why, String target, int status) {
        return Arguments.of(why, RawHttp.request("GET", target, null, null, null), status);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
