package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.support.NginxProcess;
import io.wordcountiq.support.ReadinessWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Answers stay right through the faults a two-cluster deployment has: an owner killed with the default session
 * timeout, a rolling restart behind a load balancer, and a whole cluster lost at once. Each case is its own Kafka
 * Streams application (its own application id) over one input topic on one real broker process. The numbers are
 * printed (FAILOVER …) and asserted loosely: zero wrong or failed answers, each within the request deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Corpus corpus = Corpus.random(99, 3000, 600, 6);
    private LocalCluster cluster;

    @BeforeAll
    void startBrokerAndLoadTheCorpus() throws Exception {
        cluster = LocalCluster.start("failover-it");
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.broker().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic("text-lines-topic", 6, (short) 1))).all().get();
        }
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            corpus.lines().forEach(line -> producer.send(new ProducerRecord<>("text-lines-topic", line)));
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryKeyOfAKilledOwnerWithTheDefaultSessionTimeout() throws Exception {
        List<InstanceProcess> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            instances.add(cluster.start("default-" + i, Map.of("APPLICATION_ID", "failover-default",
                    "NUM_STANDBY_REPLICAS", "1", "TOPIC_PARTITIONS", "6")));
        }
        LocalCluster.awaitReady(instances);
        awaitComplete(instances.get(0), instances);
        InstanceProcess victim = instances.get(2);
        List<String> words = ownedBy(instances.get(0), victim);
        List<InstanceProcess> survivors = instances.subList(0, 2);

        LiveWrites live = LiveWrites.start("livekill", n -> survivors.get(n % 2).url("/lines"));
        await("live writes acknowledged").atMost(Duration.ofSeconds(30)).until(() -> live.acked() >= 10);
        victim.kill();
        long killedAt = System.nanoTime();
        ReadinessWatch readiness = ReadinessWatch.start(survivors);
        // The default session.timeout.ms is 45 s: ask through detection, rebalance and restore, then 15 s more.
        Load load = Load.start(2, n -> plain(n, words, m -> survivors.get(m % 2).url("")));
        Load tokenReads = Load.start(1, n -> withToken(n, words, live, m -> survivors.get(m % 2).url("")));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !listed(survivors.get(0), victim));
        long rebalancedMs = (System.nanoTime() - killedAt) / 1_000_000;
        pause(Duration.ofSeconds(15));
        load.stop();
        tokenReads.stop();
        live.stop();
        readiness.stop();
        live.assertNothingLostOrDoubled(survivors.get(0));
        assertNoInputTaskCorrupted(survivors);

        System.out.printf("FAILOVER case=kill-9-owner sessionTimeoutMs=45000(default) %s victimLeftMetadataAfterMs=%d "
                        + "survivorsNotReady=%d/%d%n", figures(load, tokenReads, live), rebalancedMs,
                readiness.notReady(), readiness.samples());
        assertLoads(load, tokenReads);
        assertThat(readiness.notReady()).as("survivors stay ready through the rebalance").isZero();
        assertEventLoopsNeverBlocked(survivors);
        instances.forEach(InstanceProcess::close);
    }

    @Test
    @Order(2)
    void shouldAnswerEveryRequestThroughARollingRestart() throws Exception {
        List<InstanceProcess> instances = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            instances.add(cluster.start("rolling-" + i, Map.of("APPLICATION_ID", "failover-rolling",
                    "NUM_STANDBY_REPLICAS", "1", "TOPIC_PARTITIONS", "6")));
        }
        LocalCluster.awaitReady(instances);
        awaitComplete(instances.get(0), instances);
        List<String> words = List.copyOf(corpus.counts().keySet());
        try (NginxProcess lb = NginxProcess.start(cluster.work().resolve("rolling-lb"), instances)) {
            LiveWrites live = LiveWrites.start("liveroll", n -> lb.url("/lines"));
            Load load = Load.start(2, n -> plain(n, words, m -> lb.url("")));
            Load tokenReads = Load.start(1, n -> withToken(n, words, live, m -> lb.url("")));
            List<String> steps = new ArrayList<>();
            long restartStart = System.nanoTime();
            for (int i = 0; i < instances.size(); i++) {
                InstanceProcess old = instances.get(i);
                // As Kubernetes does: out of the Service's endpoints first (preStop), then SIGTERM.
                List<InstanceProcess> others = new ArrayList<>(instances);
                others.remove(old);
                lb.serve(others);
                long t0 = System.nanoTime();
                Duration stopped = old.stop();
                // Leaving the group at close: the others stop listing it at once, not after the session timeout.
                InstanceProcess peer = instances.get((i + 1) % instances.size());
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !listed(peer, old));
                long leftMs = (System.nanoTime() - t0) / 1_000_000;
                InstanceProcess restarted = cluster.start(old.name(), old.env());
                instances.set(i, restarted);
                restarted.awaitReady(Duration.ofSeconds(120));
                long readyMs = (System.nanoTime() - t0) / 1_000_000;
                lb.serve(instances);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> listed(peer, restarted));
                steps.add(old.name() + ": stopped in " + stopped.toMillis() + " ms, out of the group after " + leftMs
                        + " ms, back and ready after " + readyMs + " ms");
            }
            long totalMs = (System.nanoTime() - restartStart) / 1_000_000;
            pause(Duration.ofSeconds(3));
            load.stop();
            tokenReads.stop();
            live.stop();
            live.assertNothingLostOrDoubled(instances.get(0));
            System.out.printf("FAILOVER case=rolling-restart instances=3 %s totalMs=%d steps=%s%n",
                    figures(load, tokenReads, live), totalMs, steps);
            assertLoads(load, tokenReads);
        } finally {
            instances.forEach(InstanceProcess::close);
        }
    }

    @Test
    @Order(3)
    void shouldAnswerEveryKeyFromGreenWhenBothRedInstancesDieAtOnce() throws Exception {
        List<InstanceProcess> instances = new ArrayList<>();
        String[] clusters = {"green", "green", "red", "red"};
        for (int i = 0; i < 4; i++) {
            instances.add(cluster.start(clusters[i] + "-" + i, LocalCluster.wordCount(
                    "APPLICATION_ID", "failover-clusters", "CLUSTER_NAME", clusters[i])));
        }
        LocalCluster.awaitReady(instances);
        awaitComplete(instances.get(0), instances);
        // Rack-aware standbys: every partition's standby is in the other cluster than its active task.
        Map<Integer, String> activeIn = new TreeMap<>();
        Map<Integer, String> standbyIn = new TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            activeIn.clear();
            standbyIn.clear();
            for (InstanceProcess instance : instances) {
                for (JsonNode entry : JSON.readTree(Http.get(instance.url("/state/instances")).body())) {
                    if (entry.path("self").asBoolean()) {
                        assertThat(entry.path("cluster").asText()).isIn("green", "red");
                        storePartitions(entry.path("activePartitions")).forEach(p -> activeIn.put(p, entry.path("cluster").asText()));
                        storePartitions(entry.path("standbyPartitions")).forEach(p -> standbyIn.put(p, entry.path("cluster").asText()));
                    }
                }
            }
            assertThat(activeIn.keySet()).hasSize(6);
            assertThat(standbyIn.keySet()).hasSize(6);
            activeIn.forEach((p, c) -> assertThat(standbyIn.get(p)).as("standby of partition " + p).isNotEqualTo(c));
        });
        List<InstanceProcess> green = instances.subList(0, 2);
        List<String> words = List.copyOf(corpus.counts().keySet());

        LiveWrites live = LiveWrites.start("livegreen", n -> green.get(n % 2).url("/lines"));
        await("live writes acknowledged").atMost(Duration.ofSeconds(30)).until(() -> live.acked() >= 10);
        instances.get(2).kill();
        instances.get(3).kill();
        long killedAt = System.nanoTime();
        Load load = Load.start(2, n -> plain(n, words, m -> green.get(m % 2).url("")));
        Load tokenReads = Load.start(1, n -> withToken(n, words, live, m -> green.get(m % 2).url("")));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !listed(green.get(0), instances.get(2)) && !listed(green.get(0), instances.get(3)));
        long rebalancedMs = (System.nanoTime() - killedAt) / 1_000_000;
        pause(Duration.ofSeconds(10));
        load.stop();
        tokenReads.stop();
        live.stop();
        live.assertNothingLostOrDoubled(green.get(0));
        for (String word : words) {
            Reply reply = Http.get(green.get(0).url("/state/keyvalue/word-count/" + word));
            assertThat(reply.status()).as(word).isEqualTo(200);
            assertThat(correctCount(word, reply)).isTrue();
        }
        System.out.printf("FAILOVER case=lose-red-cluster instances=4 %s redLeftMetadataAfterMs=%d%n",
                figures(load, tokenReads, live), rebalancedMs);
        assertLoads(load, tokenReads);
        assertEventLoopsNeverBlocked(green);
        instances.forEach(InstanceProcess::close);
    }

    /**
     * What every case asks of its loads: requests were made, every one answered 200 (or, for a token read no copy can
     * cover yet, a 503 that says so), none wrong; plain lookups each within REQUEST_TIMEOUT_MS (5 s), token reads
     * within REQUEST_TIMEOUT_MS + FORWARD_TIMEOUT_MS (7 s).
     */
    private static void assertLoads(Load plain, Load tokens) {
        for (Load load : List.of(plain, tokens)) {
            assertThat(load.requests()).as("the load ran").isGreaterThan(load == plain ? 100 : 10);
            assertThat(load.failures()).as("every request answered").isEmpty();
            assertThat(load.wrong()).as("wrong answers: " + load.wrongAnswers()).isZero();
        }
        assertThat(plain.refused()).isZero();
        assertThat(plain.maxMs()).as("each plain lookup within the request deadline").isLessThanOrEqualTo(5_000);
        assertThat(tokens.maxMs()).as("each token read within its deadline").isLessThanOrEqualTo(7_000);
    }

    private static String figures(Load plain, Load tokens, LiveWrites live) {
        return String.format("requests=%d failed=%d wrong=%d stale=%d maxLatencyMs=%d p99LatencyMs=%d | tokenReads=%d "
                        + "failed=%d wrong=%d refused503=%d maxMs=%d | writesAcked=%d writesRefused=%d",
                plain.requests(), plain.failed(), plain.wrong(), plain.stale(), plain.maxMs(), plain.p99Ms(),
                tokens.requests(), tokens.failed(), tokens.wrong(), tokens.refused(), tokens.maxMs(), live.acked(),
                live.refusedWrites());
    }

    /**
     * Key lookups run on the HTTP event loops: none of them ever waited, not even while peers died and partitions
     * moved (Vert.x logs "... has been blocked for N ms" when an event loop is held over 2 s).
     */
    private static void assertEventLoopsNeverBlocked(List<InstanceProcess> instances) throws IOException {
        for (InstanceProcess instance : instances) {
            assertThat(instance.log()).as(instance.name() + ": an event loop was blocked").doesNotContain("has been blocked for");
        }
    }

    /**
     * Taking over the killed instance's input tasks wiped none of them as corrupted. Under exactly-once, Kafka Streams
     * closes a corrupted task dirty, which aborts the stream thread's one transaction; during a rebalance it skips the
     * commit of the other tasks before that, so lines they had just processed were lost (counted never, committed
     * as read). A store with an empty changelog (the Idempotency-Key store, without such requests) used to be the cause.
     */
    private static void assertNoInputTaskCorrupted(List<InstanceProcess> instances) throws IOException {
        for (InstanceProcess instance : instances) {
            assertThat(instance.log()).as(instance.name() + ": an input task was corrupted")
                    .doesNotContain("State store idempotency-keys did not find checkpoint offsets");
        }
    }

    /** Whether {@code asked} lists {@code instance} in its Kafka Streams metadata (GET /state/instances). */
    private static boolean listed(InstanceProcess asked, InstanceProcess instance) throws Exception {
        Reply reply = Http.get(asked.url("/state/instances"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        for (JsonNode entry : JSON.readTree(reply.body())) {
            if ((entry.path("host").asText() + ":" + entry.path("port").asInt()).equals(instance.address())) {
                return true;
            }
        }
        return false;
    }

    /** Lets the load run on for a while. */
    private static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
    }

    private boolean correctCount(String word, Reply reply) {
        return reply.body().equals("{\"key\":\"" + word + "\",\"value\":" + corpus.counts().get(word) + "}");
    }

    /** Request n of the plain load: a corpus word, judged by the word it asked for. */
    private Load.Ask plain(int n, List<String> words, java.util.function.IntFunction<String> base) {
        String word = words.get(n % words.size());
        return new Load.Ask(base.apply(n) + "/state/keyvalue/word-count/" + word, new String[0],
                Long.toString(corpus.counts().get(word)), reply -> correctCount(word, reply), false);
    }

    /** Request n of the token load: a live word with its last write's token, once one was acknowledged. */
    private Load.Ask withToken(int n, List<String> words, LiveWrites live, java.util.function.IntFunction<String> base) {
        Load.Ask liveAsk = live.ask(n, w -> base.apply(n) + "/state/keyvalue/word-count/" + w);
        return liveAsk != null ? liveAsk : plain(n, words, base);
    }

    /**
     * Every corpus count is visible (the live words of earlier cases are in the same input topic, so only the range
     * of corpus words is compared), and every standby has caught up (each instance's own lags are at most 1). */
    private void awaitComplete(InstanceProcess instance, List<InstanceProcess> all) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> corpus.rangeJson("w", "w~").equals(
                        Http.get(instance.url("/state/keyvalues/word-count/range/w/w~?strict=true")).body()));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (InstanceProcess i : all) {
                for (JsonNode entry : JSON.readTree(Http.get(i.url("/state/instances")).body())) {
                    if (entry.path("self").asBoolean()) {
                        if (entry.path("standbyPartitions").size() > 0 && entry.path("offsetLag").isEmpty()) {
                            return false;
                        }
                        for (JsonNode store : entry.path("offsetLag")) {
                            for (JsonNode lag : store) {
                                if (lag.asLong() > 1) {
                                    return false;
                                }
                            }
                        }
                    }
                }
            }
            return true;
        });
    }

    private List<String> ownedBy(InstanceProcess asked, InstanceProcess owner) throws Exception {
        List<String> out = new ArrayList<>();
        for (String word : corpus.counts().keySet()) {
            JsonNode md = JSON.readTree(Http.get(asked.url("/state/instance/word-count/" + word)).body());
            if ((md.path("host").asText() + ":" + md.path("port").asInt()).equals(owner.address())) {
                out.add(word);
            }
            if (out.size() == 30) {
                break;
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Partition numbers of the count store's tasks ("words-repartition-N" entries), from /state/instances. */
    private static Set<Integer> storePartitions(JsonNode topicPartitions) {
        Set<Integer> out = new java.util.TreeSet<>();
        topicPartitions.forEach(tp -> {
            String s = tp.asText();
            if (s.contains("repartition")) {
                out.add(Integer.parseInt(s.substring(s.lastIndexOf('-') + 1)));
            }
        });
        return out;
    }

    /**
     * Lines written while a fault happens: a few live words, one line every 20 ms to the instances given. Every
     * acknowledged write (202) bounds the reads that present its token from below, and every attempt not refused bounds
     * every read from above, so a stale copy answering a token, or a count written twice, is caught.
     */
    static final class LiveWrites {
        /** Words no other case writes: every case's application reads the one input topic from its start. */
        private final List<String> words;

        /** The last acknowledged write of a word: its token and the count acknowledged up to it. */
        record Acked(String token, long count) {
        }

        private final Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> attempted = new ConcurrentHashMap<>();
        private final Map<String, Acked> last = new ConcurrentHashMap<>();
        private final AtomicLong refusedWrites = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile String session;

        private LiveWrites(String prefix, java.util.function.IntFunction<String> linesUrl) {
            words = List.of(prefix + "a", prefix + "b", prefix + "c", prefix + "d", prefix + "e");
            words.forEach(w -> {
                acked.put(w, new AtomicLong());
                attempted.put(w, new AtomicLong());
            });
            thread = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    String word = words.get(n % words.size());
                    attempted.get(word).incrementAndGet();
                    // As a client session does: each write sends the token so far, and gets back one covering both.
                    Reply r = session == null ? Http.post(linesUrl.apply(n++), "text/plain", word)
                            : Http.post(linesUrl.apply(n++), "text/plain", word, "X-IQ-Token", session);
                    if (r.status() == 202) {
                        session = r.header("X-IQ-Token");
                        last.put(word, new Acked(session, acked.get(word).incrementAndGet()));
                    } else if (r.status() == 503) {
                        // A refused write wrote nothing.
                        attempted.get(word).decrementAndGet();
                        refusedWrites.incrementAndGet();
                    }
                    pause(Duration.ofMillis(20));
                }
            }, "live-writes");
        }

        static LiveWrites start(String prefix, java.util.function.IntFunction<String> linesUrl) {
            LiveWrites writes = new LiveWrites(prefix, linesUrl);
            writes.thread.start();
            return writes;
        }

        /** A read of a live word at this instance with the token of its last acknowledged write, or null if none yet. */
        Load.Ask ask(int n, java.util.function.Function<String, String> keyUrl) {
            String word = words.get(n % words.size());
            Acked at = last.get(word);
            if (at == null) {
                return null;
            }
            long ceiling = attempted.get(word).get();
            return new Load.Ask(keyUrl.apply(word), new String[] {"X-IQ-Token", at.token()},
                    "at least " + at.count() + " (acknowledged before its token), at most " + ceiling + "+", reply -> {
                long value = Long.parseLong(reply.body().replaceAll(".*\"value\":(\\d+).*", "$1"));
                return reply.body().startsWith("{\"key\":\"" + word + "\"") && value >= at.count()
                        && value <= Math.max(ceiling, attempted.get(word).get());
            }, true);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long acked() {
            return acked.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long refusedWrites() {
            return refusedWrites.get();
        }

        /** Once the fault is over: every live word's count is at least what was acknowledged, at most what was tried. */
        void assertNothingLostOrDoubled(InstanceProcess at) {
            for (String word : words) {
                Acked a = last.get(word);
                assertThat(a).as("a write of " + word + " was acknowledged").isNotNull();
                await(word + " settles").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Reply r = Http.get(at.url("/state/keyvalue/word-count/" + word), "X-IQ-Token", a.token());
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    long value = Long.parseLong(r.body().replaceAll(".*\"value\":(\\d+).*", "$1"));
                    assertThat(value).as(word + ": acknowledged " + acked.get(word) + ", tried " + attempted.get(word)
                            + " (copy=" + r.header("X-IQ-Copy") + " servedBy=" + r.header("X-IQ-Served-By") + ")")
                            .isBetween(acked.get(word).get(), attempted.get(word).get());
                });
            }
        }
    }

    /** Client threads asking round and round, recording every answer that is not a right 200. */
    static final class Load {
        /** One request of the load: where, with which headers, and how to judge its answer. */
        record Ask(String url, String[] headers, String expected, java.util.function.Predicate<Reply> correct,
                   boolean mayBeRefused) {
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong stale = new AtomicLong();
        private final AtomicLong wrong = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong maxMs = new AtomicLong();
        private final Map<Long, AtomicLong> latencyBuckets = new ConcurrentHashMap<>();
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<String> wrongAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();

        static Load start(int threads, java.util.function.IntFunction<Ask> ask) {
            Load load = new Load();
            for (int t = 0; t < threads; t++) {
                int offset = t * 7919;
                Thread thread = new Thread(() -> {
                    int n = offset;
                    while (load.running.get()) {
                        Ask a = ask.apply(n++);
                        long t0 = System.nanoTime();
                        Reply reply = Http.get(a.url(), a.headers());
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        load.record(a, reply, ms);
                    }
                }, "load-" + t);
                load.threads.add(thread);
                thread.start();
            }
            return load;
        }

        private void record(Ask ask, Reply reply, long ms) {
            requests.incrementAndGet();
            maxMs.accumulateAndGet(ms, Math::max);
            latencyBuckets.computeIfAbsent(ms, k -> new AtomicLong()).incrementAndGet();
            if (reply.status() == 503 && ask.mayBeRefused() && reply.body().contains("\"error\"")) {
                // A token read no copy can cover yet says so: right, but counted.
                refused.incrementAndGet();
                return;
            }
            if (reply.status() != 200) {
                if (failed.incrementAndGet() <= 50) {
                    failures.add(ask.url() + " " + reply.status() + " " + reply.body());
                }
                return;
            }
            if (!ask.correct().test(reply)) {
                if (wrong.incrementAndGet() <= 10) {
                    wrongAnswers.add(ask.url() + " " + reply.body() + " expected " + ask.expected() + " copy=" + reply.header("X-IQ-Copy") + " lag="
                            + reply.header("X-IQ-Lag") + " servedBy=" + reply.header("X-IQ-Served-By"));
                }
            }
            if ("true".equals(reply.header("X-IQ-Stale"))) {
                stale.incrementAndGet();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }

        long requests() {
            return requests.get();
        }

        long failed() {
            return failed.get();
        }

        long refused() {
            return refused.get();
        }

        List<String> failures() {
            return failures;
        }

        long wrong() {
            return wrong.get();
        }

        List<String> wrongAnswers() {
            return wrongAnswers;
        }

        long stale() {
            return stale.get();
        }

        long maxMs() {
            return maxMs.get();
        }

        long p99Ms() {
            long total = requests.get();
            long seen = 0;
            for (Map.Entry<Long, AtomicLong> e : new TreeMap<>(latencyBuckets).entrySet()) {
                seen += e.getValue().get();
                if (seen >= total * 0.99) {
                    return e.getKey();
                }
            }
            return maxMs.get();
        }
    }
}
