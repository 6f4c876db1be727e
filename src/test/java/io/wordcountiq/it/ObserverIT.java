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
    /** Windows are kept ten minutes here, so a test can move stream time past them (the broker takes at most one hour
     * of timestamps ahead of its clock). */
    private static final String RETENTION_MS = "600000";

    private final Corpus corpus = Corpus.random(7, 2000, 800, 8);
    private final List<InstanceProcess> counters = new ArrayList<>();
    private final List<InstanceProcess> observers = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("observer-it");
        for (int i = 0; i < 2; i++) {
            counters.add(cluster.start("wc-" + i, Map.of("TOPIC_PARTITIONS", "4", "WINDOW_RETENTION_MS", RETENTION_MS)));
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
            assertThat(log).contains("Starting Kafka Streams", "sasl.jaas.config=[hidden]").doesNotContain(SECRET)
                    .doesNotContain(LocalCluster.FORWARD_SECRET);
        }
    }

    @Test
    @Order(2)
    void shouldAnswerEveryWordsWindowsAsTheWordCountInstancesDo() {
        assertWindowsAgree(corpus.counts().keySet());
        Reply windows = Http.get(observers.get(0).url(windowsPath("w1")));
        assertThat(windows.header("X-IQ-Served-By")).isEqualTo(observers.get(0).address());
        assertThat(windows.header("X-IQ-Copy")).isEqualTo("global");
        assertThat(windows.header("X-IQ-Lag")).as("the global consumer's lag on the word's partition").matches("\\d+");
        assertThat(windows.header("X-IQ-Token")).startsWith("t1.");
        assertThat(Http.get(observers.get(0).url("/state/keyvalue/word-count/nosuchword")).status()).isEqualTo(404);
        Reply ingest = Http.postLines(observers.get(0).url("/lines"), "observersdonotcount");
        assertThat(ingest.status()).as("observers serve reads only").isEqualTo(405);
        assertThat(ingest.headers()).containsKey("allow");
        assertThat(ingest.body()).startsWith("{\"status\":405");
    }

    @Test
    @Order(2)
    void shouldAnswerTheSameHeadersAsAWordCountInstance() {
        Reply counted = Http.get(counters.get(0).url("/state/keyvalue/word-count/w1"));
        Reply observed = Http.get(observers.get(1).url("/state/keyvalue/word-count/w1"));
        assertThat(observed.body()).isEqualTo(counted.body());
        for (String header : List.of("X-IQ-Served-By", "X-IQ-Token", "X-IQ-Copy", "Content-Type")) {
            assertThat(observed.header(header)).as(header).isNotNull();
        }
        Reply page = Http.get(observers.get(1).url("/state/keyvalues/word-count/all?limit=10"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Link")).contains("rel=\"next\"");
        assertThat(page.header("X-IQ-Token")).startsWith("t1.");
        assertThat(Http.get(observers.get(1).url("/state/keyvalue/word-count/w1?maxLag=0")).status())
                .as("a caught-up observer is 0 records behind").isEqualTo(200);
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

    @Test
    @Order(5)
    void shouldReadEveryWriteBackAtOnceThroughEitherObserverWithItsToken() throws Exception {
        int clients = 10;
        int writesEach = 100;
        List<Long> tokenMs = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                Map<String, Long> counts = new HashMap<>();
                for (int i = 0; i < writesEach; i++) {
                    String word = "tokenword" + client + "x" + (i % 5);
                    long expected = counts.merge(word, 1L, Long::sum);
                    Reply posted = Http.postLines(counters.get(i % 2).url("/lines"), word);
                    if (posted.status() != 202) {
                        wrong.add("write " + posted.status() + " " + posted.body());
                        continue;
                    }
                    InstanceProcess observer = observers.get((client + i) % 2);
                    long start = System.nanoTime();
                    Reply read = Http.get(observer.url("/state/keyvalue/word-count/" + word), "X-IQ-Token",
                            posted.header("X-IQ-Token"));
                    tokenMs.add((System.nanoTime() - start) / 1_000_000);
                    String want = "{\"key\":\"" + word + "\",\"value\":" + expected + "}";
                    if (read.status() != 200 || !want.equals(read.body())) {
                        wrong.add(observer.name() + " " + read.status() + " " + read.body() + " wanted " + want);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(300_000);
        }
        long[] plainMs = new long[tokenMs.size()];
        for (int i = 0; i < plainMs.length; i++) {
            long start = System.nanoTime();
            assertThat(Http.get(observers.get(i % 2).url("/state/keyvalue/word-count/tokenword0x0")).status()).isEqualTo(200);
            plainMs[i] = (System.nanoTime() - start) / 1_000_000;
        }
        long[] token = tokenMs.stream().mapToLong(Long::longValue).sorted().toArray();
        Arrays.sort(plainMs);
        System.out.printf("OBSERVER_TOKEN_READ_MS writes=%d p50=%d p99=%d max=%d | plain p50=%d p99=%d max=%d | wrong=%d%n",
                token.length, token[token.length / 2], token[(int) Math.ceil(token.length * 0.99) - 1],
                token[token.length - 1], plainMs[plainMs.length / 2], plainMs[(int) Math.ceil(plainMs.length * 0.99) - 1],
                plainMs[plainMs.length - 1], wrong.size());
        assertThat(token).hasSize(clients * writesEach);
        assertThat(wrong).as("older values or other answers than 200").isEmpty();
    }

    @Test
    @Order(5)
    void shouldNeverReadOlderWhenATokenMovesBetweenObserversAndWordCountInstances() {
        List<String> older = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String word = "movingword" + (i % 7);
            Reply posted = Http.postLines(counters.get(i % 2).url("/lines"), word);
            assertThat(posted.status()).isEqualTo(202);
            long expected = i / 7 + 1;
            String token = posted.header("X-IQ-Token");
            // Observer, then a word-count instance, then the other observer, then the other word-count instance: each
            // read carries the last token the client received.
            List<InstanceProcess> path = List.of(observers.get(i % 2), counters.get((i + 1) % 2),
                    observers.get((i + 1) % 2), counters.get(i % 2));
            for (InstanceProcess at : path) {
                Reply read = Http.get(at.url("/state/keyvalue/word-count/" + word), "X-IQ-Token", token);
                if (read.status() != 200 || !read.body().equals("{\"key\":\"" + word + "\",\"value\":" + expected + "}")) {
                    older.add(at.name() + " " + read.status() + " " + read.body() + " wanted " + expected);
                }
                token = read.header("X-IQ-Token") == null ? token : read.header("X-IQ-Token");
            }
            // A token minted by an observer alone (no writes in it) is honoured by a word-count instance's standby or
            // active copy: the answer is never older than what the observer showed.
            String observerOnly = Http.get(observers.get(i % 2).url("/state/keyvalue/word-count/" + word)).header("X-IQ-Token");
            Reply back = Http.get(counters.get((i + 1) % 2).url("/state/keyvalue/word-count/" + word), "X-IQ-Token", observerOnly);
            if (back.status() != 200 || !back.body().endsWith(":" + expected + "}")) {
                older.add("observer-only token at " + counters.get((i + 1) % 2).name() + ": " + back.status() + " " + back.body());
            }
        }
        assertThat(older).isEmpty();
    }

    @Test
    @Order(6)
    void shouldForgetExpiredWindowsAsTheWordCountInstancesDo() {
        // Lines half an hour ahead (retention ten minutes), a word in every partition: stream time moves on in every
        // store partition, and every earlier window expires at the source and at the observers alike.
        List<String> ahead = new ArrayList<>();
        for (int i = 0; ahead.size() < 4 * 3; i++) {
            ahead.add("aheadword" + i);
        }
        java.util.Set<Integer> partitions = new java.util.TreeSet<>();
        ahead.forEach(w -> partitions.add(io.wordcountiq.streams.WindowedOutput.partitionOf(w, 4)));
        assertThat(partitions).as("the words reach every partition").containsExactly(0, 1, 2, 3);
        io.wordcountiq.support.InputTopic.writeAt(cluster.broker().bootstrapServers(), "text-lines-topic", ahead,
                System.currentTimeMillis() + Duration.ofMinutes(30).toMillis());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Http.get(counters.get(0).url(windowsPath("w1"))).body().equals("[]")
                        && Http.get(observers.get(0).url(windowsPath("aheadword0", Long.MAX_VALUE / 2))).body().contains("aheadword0@"));
        java.util.Set<String> words = new java.util.TreeSet<>(corpus.counts().keySet());
        words.addAll(ahead);
        assertWindowsAgree(words);
    }

    private void assertWindowsAgree(java.util.Collection<String> words) {
        for (String word : words) {
            String path = windowsPath(word, Long.MAX_VALUE / 2);
            Reply counted = Http.get(counters.get(0).url(path));
            assertThat(counted.status()).as(word).isEqualTo(200);
            for (InstanceProcess observer : observers) {
                // Asked at once (no first delay): 800 words at two observers, twice.
                await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                        assertThat(Http.get(observer.url(path)).body()).as(word + " at " + observer.name())
                                .isEqualTo(counted.body()));
            }
        }
    }

    private static String windowsPath(String word) {
        return windowsPath(word, System.currentTimeMillis() + 60_000);
    }

    private static String windowsPath(String word, long to) {
        return "/state/windowed/windowed-word-count/" + word + "/0/" + to;
    }

    private InstanceProcess observer(String name, String stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("APP_MODE", "observer");
        env.put("WINDOW_RETENTION_MS", RETENTION_MS);
        // Secrets an operator passes in (the forward secret is the cluster's: tokens pass between observers and
        // word-count instances); the plaintext test broker ignores the JAAS config.
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + SECRET + "\";");
        env.put("STATE_DIR", cluster.work().resolve(name).resolve(stateDir).toAbsolutePath().toString());
        return cluster.start(name, env);
    }
}
