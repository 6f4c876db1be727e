package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.query.Tokens;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Key lookups without a consistency token run on the HTTP event loop (EventLoopHttpEngine): they are answered even
 * while every worker thread is held by a request that waits. Here there is one worker, and a token that no copy can
 * ever cover holds it for REQUEST_TIMEOUT_MS.
 */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/event-loop-test-data", "http.port=18500", "management.port=18501", "routes.reload.interval.ms=0",
        "topic.partitions=2", "http.worker.threads=1", "request.timeout.ms=6000",
        "forward.secret=" + EventLoopLookupTest.SECRET})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventLoopLookupTest {

    static final String SECRET = "event-loop-test-secret-0123456789";
    private static final String BASE = "http://localhost:18500";

    static {
        FreshFolder.of("target/event-loop-test-data");
    }

    @BeanInject
    CamelContext context;

    private boolean loaded;

    @BeforeEach
    void loadOnce() {
        if (loaded) {
            return;
        }
        loaded = true;
        Http.awaitReady(18501);
        assertThat(Http.post(BASE + "/lines", "text/plain", "hello hello world").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(BASE + "/state/keyvalue/word-count/hello").body()
                .equals("{\"key\":\"hello\",\"value\":2}"));
    }

    @Test
    void shouldAnswerKeyLookupsWhileEveryWorkerThreadWaits() throws Exception {
        // A read already made at a position far ahead of any copy: the one worker waits for it until the deadline.
        String unreachable = new Tokens(List.of(SECRET)).encode(
                new ConsistencyToken(Map.of(), Map.of(0, 1_000_000_000L, 1, 1_000_000_000L)));
        CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                () -> Http.get(BASE + "/state/keyvalue/word-count/hello", "X-IQ-Token", unreachable));
        await().atMost(Duration.ofSeconds(5)).until(() -> context.getInflightRepository().size() >= 1);

        long now = Instant.now().toEpochMilli();
        for (int i = 0; i < 20; i++) {
            assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello").body()).isEqualTo("{\"key\":\"hello\",\"value\":2}");
            assertThat(Http.get(BASE + "/state/keyvalue/word-count/absent-word").status()).isEqualTo(404);
            Reply windows = Http.get(BASE + "/state/windowed/windowed-word-count/world/" + (now - 3_600_000) + "/" + (now + 60_000));
            assertThat(windows.status()).isEqualTo(200);
            assertThat(windows.body()).contains("\"value\":1");
        }
        assertThat(waiting).as("the token request still holds the only worker").isNotDone();

        Reply waited = waiting.get(15, TimeUnit.SECONDS);
        assertThat(waited.status()).as("no copy ever covers the token").isEqualTo(503);
    }
}
