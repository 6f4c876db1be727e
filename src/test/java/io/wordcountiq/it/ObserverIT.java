package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Two word-count instances and two observers (GlobalKTable over the output topic) on a real broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObserverIT {

    private static final String SECRET = "s3cr3t-never-logged";

    private final Corpus corpus = Corpus.random(7, 2000, 800, 8);
    private final List<InstanceProcess> counters = new ArrayList<>();
    private final List<InstanceProcess> observers = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("observer-it");
        for (int i = 0; i < 2; i++) {
            counters.add(cluster.start("wc-" + i, Map.of("TOPIC_PARTITIONS", "4")));
        }
        LocalCluster.awaitReady(counters);
        for (int i = 0; i < 2; i++) {
            observers.add(observer("observer-" + i, "state").awaitReady(Duration.ofSeconds(120)));
        }
        corpus.postTo(counters.get(0).url("/lines"), 500);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                observers.stream().allMatch(o -> corpus.allJson().equals(Http.get(o.url("/state/keyvalues/word-count/all")).body())));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldAgreeWithTheWordCountInstancesOnEveryWord() {
        assertThat(Http.get(counters.get(1).url("/state/keyvalues/word-count/all")).body()).isEqualTo(corpus.allJson());
        for (Map.Entry<String, Long> word : corpus.counts().entrySet()) {
            String expected = "{\"key\":\"" + word.getKey() + "\",\"value\":" + word.getValue() + "}";
            for (InstanceProcess observer : observers) {
                Reply reply = Http.get(observer.url("/state/keyvalue/word-count/" + word.getKey()));
                assertThat(reply.body()).isEqualTo(expected);
                assertThat(reply.header("X-IQ-Served-By")).as("observers never forward").isEqualTo(observer.address());
            }
        }
        assertThat(Http.get(counters.get(0).url("/state/keyvalue/word-count/w1")).body())
                .isEqualTo(Http.get(observers.get(0).url("/state/keyvalue/word-count/w1")).body());
    }

    @Test
    @Order(1)
    void shouldNeverLogSecrets() throws Exception {
        for (InstanceProcess observer : observers) {
            String log = observer.log();
            assertThat(log).contains("Starting Kafka Streams", "sasl.jaas.config=[hidden]").doesNotContain(SECRET);
        }
    }

    @Test
    @Order(2)
    void shouldRefuseWindowedQueriesClearly() {
        Reply reply = Http.get(observers.get(0).url("/state/windowed/windowed-word-count/w1/0/" + System.currentTimeMillis()));

        assertThat(reply.status()).isEqualTo(501);
        assertThat(reply.body()).contains("windowed counts are served by the word-count instances");
        assertThat(Http.get(observers.get(0).url("/state/keyvalue/word-count/nosuchword")).status()).isEqualTo(404);
        Reply ingest = Http.postLines(observers.get(0).url("/lines"), "observersdonotcount");
        assertThat(ingest.status()).as("observers serve reads only").isEqualTo(405);
        assertThat(ingest.headers()).containsKey("allow");
        assertThat(ingest.body()).startsWith("{\"status\":405");
        // A GlobalKTable has no positions: a consistency token gets a clear 501, never a silently stale answer.
        String token = Http.get(counters.get(0).url("/state/keyvalue/word-count/w1")).header("X-IQ-Token");
        assertThat(token).startsWith("t1.");
        for (String path : List.of("/state/keyvalue/word-count/w1", "/state/keyvalues/word-count/all")) {
            Reply withToken = Http.get(observers.get(0).url(path), "X-IQ-Token", token);
            assertThat(withToken.status()).as(path).isEqualTo(501);
            assertThat(withToken.body()).as(path).contains("X-IQ-Token");
        }
    }

    @Test
    @Order(3)
    void shouldSeeNewCountsWithinABoundedDelay() {
        long[] delays = new long[30];
        for (int i = 0; i < delays.length; i++) {
            String word = "fresh" + i;
            long start = System.nanoTime();
            assertThat(Http.postLines(counters.get(1).url("/lines"), word).status()).isEqualTo(202);
            InstanceProcess observer = observers.get(i % 2);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Http.get(observer.url("/state/keyvalue/word-count/" + word)).status() == 200);
            delays[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(delays);
        System.out.printf("OBSERVER_FRESHNESS_MS p50=%d p99=%d max=%d n=%d%n", delays[delays.length / 2],
                delays[(int) Math.ceil(delays.length * 0.99) - 1], delays[delays.length - 1], delays.length);
        assertThat(delays[delays.length - 1]).isLessThan(15_000);
    }

    @Test
    @Order(4)
    void shouldBecomeReadyOnlyWhenCompleteAfterARestartWithAnEmptyStateDir() throws Exception {
        InstanceProcess killed = observers.remove(1);
        killed.kill();
        Map<String, Long> expected = new HashMap<>(corpus.counts());
        for (int i = 0; i < 30; i++) {
            expected.put("fresh" + i, 1L);
        }
        String expectedAll = new Corpus(List.of(), new java.util.TreeMap<>(expected)).allJson();

        InstanceProcess restarted = observer("observer-1", "state-after-restart");
        observers.add(restarted);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Reply all = Http.get(restarted.url("/state/keyvalues/word-count/all"));
            if (all.status() == 200) {
                return true;
            }
            // -1: not listening yet; 503: listening, routes not started or the table still restoring. Never a 404.
            assertThat(all.status()).as("before it is complete it says so").isIn(-1, 503);
            assertThat(all.body()).doesNotStartWith("[");
            return false;
        });
        assertThat(Http.get(restarted.url("/state/keyvalues/word-count/all")).body())
                .as("the first answer is the whole table, never a partial one").isEqualTo(expectedAll);
    }

    private InstanceProcess observer(String name, String stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("APP_MODE", "observer");
        // Secrets an operator passes in; the plaintext test broker ignores the JAAS config.
        env.put("FORWARD_SECRET", SECRET);
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + SECRET + "\";");
        env.put("STATE_DIR", cluster.work().resolve(name).resolve(stateDir).toAbsolutePath().toString());
        return cluster.start(name, env);
    }
}
