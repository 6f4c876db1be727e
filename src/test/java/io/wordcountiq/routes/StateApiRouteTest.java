package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real routes/ files over a real (embedded) KRaft broker, through the real HTTP server. */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/state-api-test-data", "http.port=18480", "management.port=18481", "routes.reload.interval.ms=0", "topic.partitions=2",
        "peer.lags.interval.ms=500"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateApiRouteTest {

    static {
        FreshFolder.of("target/state-api-test-data");
    }

    private static final String BASE = "http://localhost:18480";
    private static final String CORPUS = String.join("\n",
            "hello", "world", "world", "hello world", "all streams lead to kafka", "streams", "kafka streams");
    private static final String ALL = "[{\"key\":\"all\",\"value\":1},{\"key\":\"hello\",\"value\":2},{\"key\":\"kafka\",\"value\":2},"
            + "{\"key\":\"lead\",\"value\":1},{\"key\":\"streams\",\"value\":3},{\"key\":\"to\",\"value\":1},{\"key\":\"world\",\"value\":3}]";

    private boolean loaded;

    /** The Camel context starts per test class before each test runs; the corpus is loaded once. */
    @BeforeEach
    void loadCorpusOnce() {
        if (loaded) {
            return;
        }
        loaded = true;
        Http.awaitReady(18481);
        Reply posted = Http.post(BASE + "/lines", "text/plain", CORPUS);
        assertThat(posted.status()).isEqualTo(202);
        assertThat(posted.body()).matches("\\{\"accepted\":7,\"token\":\"t1\\.[^\"]+\"}");
        // Read-your-writes: with the token of the POST, the very first read waits until it holds the lines.
        Reply read = Http.get(BASE + "/state/keyvalues/word-count/all", "X-IQ-Token", posted.header("X-IQ-Token"));
        assertThat(read.body()).isEqualTo(ALL);
        assertThat(read.header("X-IQ-Token")).startsWith("t1.");
    }

    @Test
    void shouldAnswerAllSortedByKey() {
        Reply all = Http.get(BASE + "/state/keyvalues/word-count/all");

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).isEqualTo(ALL);
        assertThat(all.header("Content-Type")).startsWith("application/json");
        assertThat(all.header("X-IQ-Served-By")).isEqualTo("localhost:18480");
        assertThat(all.header("X-IQ-Missing")).isNull();
    }

    @Test
    void shouldAnswerOneKeyAndAnInclusiveRange() {
        assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello").body()).isEqualTo("{\"key\":\"hello\",\"value\":2}");
        assertThat(Http.get(BASE + "/state/keyvalues/word-count/range/all/kafka").body())
                .isEqualTo("[{\"key\":\"all\",\"value\":1},{\"key\":\"hello\",\"value\":2},{\"key\":\"kafka\",\"value\":2}]");
    }

    @Test
    void shouldAnswerWindowedCountsOfTheLastMinutes() {
        long now = Instant.now().toEpochMilli();
        Reply windows = Http.get(BASE + "/state/windowed/windowed-word-count/streams/" + (now - 3_600_000) + "/" + now);

        assertThat(windows.status()).isEqualTo(200);
        assertThat(windows.body()).matches("\\[\\{\"key\":\"streams@\\d+\",\"value\":3}]");
    }

    @Test
    void shouldDescribeInstancesAndTheOwnerOfAKey() {
        assertThat(Http.get(BASE + "/state/instances").body()).contains("\"host\":\"localhost\"", "\"port\":18480", "word-count");
        assertThat(Http.get(BASE + "/state/instances/word-count").status()).isEqualTo(200);
        assertThat(Http.get(BASE + "/state/instance/word-count/hello").body()).contains("\"port\":18480", "\"partition\":");
    }

    @Test
    void shouldServeAnOpenApiDocumentOfTheApi() {
        Reply doc = Http.get(BASE + "/openapi.json");

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).contains("\"openapi\"", "/state/keyvalue/{store}/{key}", "/lines", "X-IQ-Token", "maxLag", "after");
    }

    @Test
    void shouldExposeReadinessAndRequestMetrics() {
        assertThat(Http.get("http://localhost:18481/observe/health/live").status()).isEqualTo(200);
        assertThat(Http.get("http://localhost:18481/observe/health/ready").status()).isEqualTo(200);
        assertThat(Http.get("http://localhost:18481/observe/metrics").body()).contains("wordcount_iq_requests");
    }

    @Test
    void shouldExposeKafkaStreamsMetricsAndTheOwnStoreLags() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Http.get("http://localhost:18481/observe/metrics").body())
                .contains("kafka_stream_thread_process_rate", "kafka_consumer_coordinator_rebalance_total",
                        "kafka_stream_state_updater_", "application_id=\"wordcount-iq\"")
                .containsPattern("wordcount_iq_store_offset_lag\\{.*partition=\"0\",.*store=\"word-count\".*} 0\\.0"));
    }

    @Test
    void shouldWalkTheWholeStoreInKeysetPagesWithNoGapOrRepeat() {
        StringBuilder walked = new StringBuilder("[");
        String next = "/state/keyvalues/word-count/all?limit=3";
        int pages = 0;
        while (next != null) {
            Reply page = Http.get(BASE + next);
            assertThat(page.status()).as(next).isEqualTo(200);
            String entries = page.body().substring(1, page.body().length() - 1);
            walked.append(walked.length() > 1 && !entries.isEmpty() ? "," : "").append(entries);
            String link = page.header("Link");
            next = link == null ? null : link.replaceAll("^<([^>]+)>; rel=\"next\"$", "$1");
            pages++;
        }
        assertThat(walked.append("]").toString()).isEqualTo(ALL);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void shouldStartAPageAfterItsCursorAndLinkOnlyWhileMoreRemain() {
        Reply first = Http.get(BASE + "/state/keyvalues/word-count/all?limit=2&after=hello");
        Reply last = Http.get(BASE + "/state/keyvalues/word-count/range/all/world?limit=10&after=streams");

        assertThat(first.body()).isEqualTo("[{\"key\":\"kafka\",\"value\":2},{\"key\":\"lead\",\"value\":1}]");
        assertThat(first.header("Link")).as("the next page, as fresh as this one at least")
                .matches("</state/keyvalues/word-count/all\\?limit=2&after=lead&token=t1\\.[^>]+>; rel=\"next\"");
        assertThat(last.body()).isEqualTo("[{\"key\":\"to\",\"value\":1},{\"key\":\"world\",\"value\":3}]");
        assertThat(last.header("Link")).as("the last page").isNull();
        assertThat(Http.get(BASE + "/state/keyvalues/word-count/all?limit=2&after=world").body()).isEqualTo("[]");
    }

    @Test
    void shouldStreamAWholeStoreAnswerInChunks() throws java.io.IOException {
        io.wordcountiq.support.RawHttp.Response all = io.wordcountiq.support.RawHttp.send(18480,
                io.wordcountiq.support.RawHttp.request("GET", "/state/keyvalues/word-count/all", null, null, null));

        assertThat(all.head().toLowerCase()).contains("transfer-encoding: chunked").doesNotContain("content-length");
        assertThat(all.body()).isEqualTo(ALL);
    }

    @Test
    void shouldLetOnlyThePathDecideTheStoreAndTheKey() {
        String hello = "{\"key\":\"hello\",\"value\":2}";

        assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello?key=world").body()).isEqualTo(hello);
        assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello?store=windowed-word-count").body()).isEqualTo(hello);
        assertThat(Http.get(BASE + "/state/keyvalue/word-count/hello", "key", "world", "Store", "nope").body()).isEqualTo(hello);
        assertThat(Http.get(BASE + "/state/keyvalues/word-count/range/all/kafka?from=z&to=zz").body())
                .isEqualTo("[{\"key\":\"all\",\"value\":1},{\"key\":\"hello\",\"value\":2},{\"key\":\"kafka\",\"value\":2}]");
    }

    @Test
    void shouldSayWhichCopyAnswered() {
        Reply reply = Http.get(BASE + "/state/keyvalue/word-count/hello");

        assertThat(reply.header("X-IQ-Copy")).isEqualTo("active");
        assertThat(reply.header("X-IQ-Stale")).isNull();
        assertThat(Http.get(BASE + "/state/keyvalue/word-count/nosuchword").header("X-IQ-Copy")).isEqualTo("active");
    }

    static Stream<Arguments> badRequests() {
        long now = Instant.now().toEpochMilli();
        return Stream.of(
                Arguments.of("unknown store", "/state/keyvalue/nope/hello", 404),
                Arguments.of("window store on the key-value path", "/state/keyvalue/windowed-word-count/hello", 400),
                Arguments.of("key-value store on the windowed path", "/state/windowed/word-count/hello/0/" + now, 400),
                Arguments.of("non-numeric window bound", "/state/windowed/windowed-word-count/hello/yesterday/" + now, 400),
                Arguments.of("from after to", "/state/windowed/windowed-word-count/hello/" + now + "/0", 400),
                Arguments.of("unknown word", "/state/keyvalue/word-count/nosuchword", 404),
                Arguments.of("range with from after to", "/state/keyvalues/word-count/range/z/a", 400),
                Arguments.of("oversized key", "/state/keyvalue/word-count/" + "k".repeat(300), 414),
                Arguments.of("page of no entries", "/state/keyvalues/word-count/all?limit=0", 400),
                Arguments.of("page over the largest limit", "/state/keyvalues/word-count/all?limit=10001", 400),
                Arguments.of("page size not a number", "/state/keyvalues/word-count/all?limit=ten", 400),
                Arguments.of("cursor without a page size", "/state/keyvalues/word-count/all?after=hello", 400),
                Arguments.of("page size given twice", "/state/keyvalues/word-count/all?limit=1&limit=2", 400),
                Arguments.of("oversized cursor", "/state/keyvalues/word-count/all?limit=1&after=" + "k".repeat(300), 414));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void shouldAnswerBadInputWithAJsonError(String why, String path, int status) {
        Reply reply = Http.get(BASE + path);

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.body()).startsWith("{\"status\":" + status + ",\"error\":\"").doesNotContain("Exception", "\tat ");
    }

    @Test
    void shouldRefuseBadLinePosts() {
        assertThat(Http.post(BASE + "/lines", "application/json", "{\"a\":1}").status()).isEqualTo(415);
        assertThat(Http.post(BASE + "/lines", null, "hello").status()).isEqualTo(415);
        assertThat(Http.post(BASE + "/lines", "text/plain", "").status()).isEqualTo(400);
        assertThat(Http.post(BASE + "/lines", "text/plain", "\n \n").status()).isEqualTo(400);
        Reply big = Http.post(BASE + "/lines", "text/plain", "word ".repeat(300_000));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body()).startsWith("{\"status\":413");
    }
}
