package io.wordcountiq.routes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.model.PathSegments;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.EmbeddedKafka;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/forward.camel.yaml as shipped, in one JVM: this instance runs the real routes over a real broker; its one
 * peer is a second Kafka Streams member of the same application whose HTTP side is a stub, so each test decides what
 * the owner answers and sees exactly what the walk sent it.
 */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/forward-route-test-data/app", "http.port=18500", "management.port=18501",
        "routes.reload.interval.ms=0", "topic.partitions=4", "application.id=forward-route-test",
        "request.timeout.ms=1500", "peer.lags.interval.ms=500", "forward.secret=" + ForwardRouteTest.SECRET})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardRouteTest {

    static final String SECRET = "forward-route-test-secret-0123456789";
    private static final String BASE = "http://localhost:18500";
    private static final int PEER_PORT = 18502;
    private static final EmbeddedKafka BROKER;

    static {
        FreshFolder.of("target/forward-route-test-data");
        try {
            BROKER = EmbeddedKafka.start(Path.of("target/forward-route-test-data/kafka"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Read by the application's properties before its context starts; cleared once this class is done.
        System.setProperty("kafka.bootstrap.servers", BROKER.bootstrapServers());
    }

    /** What the stub peer answers next, and every request it was sent. */
    private final AtomicReference<StubAnswer> answer = new AtomicReference<>();
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private HttpServer peerHttp;
    private KafkaStreams peerStreams;

    record StubAnswer(int status, String body, Map<String, String> headers) {
    }

    record Asked(String rawPath, String forwardedMark) {
    }

    @BeforeEach
    void startThePeerOnce() throws IOException {
        if (peerHttp != null) {
            return;
        }
        peerHttp = HttpServer.create(new InetSocketAddress("localhost", PEER_PORT), 0);
        peerHttp.createContext("/", this::stub);
        peerHttp.start();
        Map<String, String> peerProperties = Map.of("kafka.bootstrap.servers", BROKER.bootstrapServers(),
                "application.id", "forward-route-test", "http.port", String.valueOf(PEER_PORT),
                "data.dir", "target/forward-route-test-data/peer", "topic.partitions", "4", "forward.secret", SECRET);
        Settings peer = Settings.withDefaults(peerProperties);
        StreamsLifecycle lifecycle = new StreamsLifecycle(peer);
        Properties props = lifecycle.streamsConfig();
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/forward-route-test-data/peer/state");
        await("the application's topics exist").atMost(Duration.ofSeconds(60))
                .until(() -> Http.get(BASE + "/state/instances").status() == 200);
        peerStreams = new KafkaStreams(lifecycle.topology(props), props);
        peerStreams.start();
        await("both members hold partitions").atMost(Duration.ofSeconds(90)).until(() ->
                peerStreams.state() == KafkaStreams.State.RUNNING
                        && Http.get(BASE + "/state/instances").body().contains(":" + PEER_PORT));
    }

    @AfterAll
    void stop() {
        if (peerStreams != null) {
            peerStreams.close(Duration.ofSeconds(10));
        }
        if (peerHttp != null) {
            peerHttp.stop(0);
        }
        System.clearProperty("kafka.bootstrap.servers");
    }

    @Test
    void shouldAskTheOwnerWithTheKeyEncodedAndAMarkAndRelayItsAnswer() {
        String key = peerOwned("a/b?c%d+e\u65e5\u672c\u0301");

        Reply reply = askedOnceTheOwnerAnswers(key, 200, "{\"key\":\"x\",\"value\":7}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"key\":\"x\",\"value\":7}");
        assertThat(reply.header("X-IQ-Copy")).isEqualTo("active");
        List<Asked> lookups = keyLookups();
        Asked last = lookups.get(lookups.size() - 1);
        assertThat(last.rawPath()).isEqualTo("/state/keyvalue/word-count/" + PathSegments.encode(key));
        assertThat(last.forwardedMark()).as("a hop is marked, so the owner answers from its own copy").isNotBlank();
    }

    @Test
    void shouldSettleOnTheOwnersAnswerThatTheKeyDoesNotExist() {
        Reply reply = askedOnceTheOwnerAnswers(peerOwned("absent"), 404,
                "{\"status\":404,\"error\":\"word 'absent' not found\"}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).contains("not found");
    }

    @Test
    void shouldWalkOnPastAnOwnerThatCannotAnswerAndSayWhomItAsked() {
        String key = peerOwned("restoring");
        answer.set(new StubAnswer(503, "{\"status\":503,\"error\":\"state is restoring\"}",
                Map.of("X-IQ-Served-By", "localhost:" + PEER_PORT, "Retry-After", "1")));
        asked.clear();

        Reply reply = Http.get(BASE + "/state/keyvalue/word-count/" + PathSegments.encode(key));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).contains("localhost:" + PEER_PORT);
        assertThat(keyLookups()).as("the walk asked the owner again in later rounds, within REQUEST_TIMEOUT_MS")
                .hasSizeGreaterThan(1);
    }

    /** The first key from the seed on (seed, seed1, seed2, ...) whose partition the peer holds now. */
    private String peerOwned(String seed) {
        HostInfo peer = new HostInfo("localhost", PEER_PORT);
        for (int i = 0; i < 1000; i++) {
            String key = i == 0 ? seed : seed + i;
            KeyQueryMetadata md = peerStreams.queryMetadataForKey(Names.WORD_COUNT_STORE, key,
                    Serdes.String().serializer());
            if (peer.equals(md.activeHost())) {
                return key;
            }
        }
        throw new IllegalStateException("the peer holds no partition");
    }

    /**
     * The answer to a lookup of the key once the owner, its active copy, answers with this status and body: the
     * first answer after both members agree who owns the key (a rebalance may still be settling).
     */
    private Reply askedOnceTheOwnerAnswers(String key, int status, String body) {
        answer.set(new StubAnswer(status, body, Map.of("X-IQ-Served-By", "localhost:" + PEER_PORT, "X-IQ-Copy", "active")));
        AtomicReference<Reply> last = new AtomicReference<>();
        await("the owner answers through the walk").atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(Http.get(BASE + "/state/keyvalue/word-count/" + PathSegments.encode(key)));
            return ("localhost:" + PEER_PORT).equals(last.get().header("X-IQ-Served-By"));
        });
        return last.get();
    }

    /** The key lookups the peer was sent (it is asked for its lags and health too). */
    private List<Asked> keyLookups() {
        return asked.stream().filter(a -> a.rawPath().startsWith("/state/keyvalue/")).toList();
    }

    private void stub(HttpExchange exchange) throws IOException {
        asked.add(new Asked(exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("X-IQ-Forwarded")));
        StubAnswer a = exchange.getRequestURI().getRawPath().startsWith("/state/keyvalue/") ? answer.get()
                : new StubAnswer(404, "{\"status\":404,\"error\":\"not served by this stub\"}", Map.of());
        byte[] body = a == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (a != null) {
            a.headers().forEach(exchange.getResponseHeaders()::set);
        }
        exchange.sendResponseHeaders(a == null ? 500 : a.status(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
