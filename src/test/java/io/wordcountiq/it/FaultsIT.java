package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.KafkaBrokerProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.support.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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

/** Real processes die and come back: counts stay exactly-once, and answers stay bounded and correct meanwhile. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    /** The lines of the first test; the second asks for their counts (nothing else is written). */
    private final Corpus corpus = Corpus.random(2026, LINES, 5000, 6);

    private static final int LINES = 100_000;

    private final Map<String, InstanceProcess> instances = new TreeMap<>();
    private LocalCluster cluster;
    private KafkaBrokerProcess broker;
    private int restarts;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("faults-it");
        broker = cluster.broker();
        for (int i = 0; i < 3; i++) {
            startInstance("wc-" + i);
        }
        for (InstanceProcess instance : instances.values()) {
            instance.awaitReady(Duration.ofSeconds(120));
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
    void shouldCountExactlyOnceWhileInstancesAreKilledAndRestarted() throws Exception {
        Random random = new Random(11);
        int kills = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer()) {
            int chunk = LINES / 5;
            for (int part = 0; part < 5; part++) {
                for (String line : corpus.lines().subList(part * chunk, (part + 1) * chunk)) {
                    producer.send(new ProducerRecord<>("text-lines-topic", line));
                }
                producer.flush();
                // kill -9 one instance at a random point, and bring back any that is down.
                List<String> alive = instances.keySet().stream().filter(n -> instances.get(n).isAlive()).toList();
                instances.get(alive.get(random.nextInt(alive.size()))).kill();
                kills++;
                await().pollDelay(Duration.ofMillis(random.nextInt(3000))).until(() -> true);
                for (String name : List.copyOf(instances.keySet())) {
                    if (!instances.get(name).isAlive()) {
                        startInstance(name);
                    }
                }
            }
        }
        long produced = System.nanoTime();
        InstanceProcess any = instances.get("wc-0");
        instances.values().forEach(i -> i.awaitReady(Duration.ofSeconds(180)));
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> corpus.allJson().equals(Http.get(any.url("/state/keyvalues/word-count/all?strict=true")).body()));
        long converged = System.nanoTime();
        System.out.printf("EXACTLY_ONCE lines=%d words=%d distinct=%d kills=%d restarts=%d produceMs=%d convergeAfterProduceMs=%d%n",
                LINES, corpus.counts().values().stream().mapToLong(Long::longValue).sum(), corpus.counts().size(), kills,
                restarts, (produced - start) / 1_000_000, (converged - produced) / 1_000_000);
        for (InstanceProcess instance : instances.values()) {
            assertThat(Http.get(instance.url("/state/keyvalues/word-count/all")).body()).isEqualTo(corpus.allJson());
        }
    }

    @Test
    @Order(2)
    void shouldAnswerOnlyCorrectOrRetryableWhileInstancesComeAndGoAndTheBrokerRestarts() throws Exception {
        InstanceProcess asked = instances.get("wc-0");
        String known = "w1";
        // What every answer must be, from the corpus (not from the service).
        String expected = corpus.keyJson(known);
        String expectedRange = corpus.rangeJson("w1", "w10");
        assertThat(Http.get(asked.url("/state/keyvalues/word-count/range/w1/w10?strict=true")).body()).isEqualTo(expectedRange);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong slowest = new AtomicLong();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        String[] paths = {"/state/keyvalue/word-count/" + known, "/state/keyvalue/word-count/neverseen",
                "/state/keyvalues/word-count/range/w1/w10", "/state/windowed/windowed-word-count/" + known + "/0/" + Long.MAX_VALUE};
        // Nothing is written during this test: every answer must equal the one before it.
        String expectedWindows = Http.get(asked.url(paths[3])).body();
        assertThat(windowTotal(expectedWindows)).as("the word's windows add up to its count").isEqualTo(corpus.counts().get(known));
        Thread client = new Thread(() -> {
            int n = 0;
            while (running.get()) {
                String path = paths[n++ % paths.length];
                long t0 = System.nanoTime();
                Reply reply = Http.get(asked.url(path));
                slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                statuses.computeIfAbsent(reply.status(), s -> new AtomicLong()).incrementAndGet();
                boolean ok = switch (reply.status()) {
                    case 200 -> path.contains("/keyvalue/") && path.endsWith(known) ? reply.body().equals(expected)
                            : path.contains("/range/") ? (reply.header("X-IQ-Missing") != null
                                    ? entries(expectedRange).containsAll(entries(reply.body()))
                                    : reply.body().equals(expectedRange))
                            : path.contains("/windowed/") && reply.body().equals(expectedWindows);
                    case 404 -> path.contains("neverseen");
                    case 503, 504 -> reply.header("Retry-After") != null;
                    default -> false;
                };
                if (!ok) {
                    wrong.add(reply.status() + " " + path + " " + reply.body());
                }
            }
        });
        client.start();
        try {
            InstanceProcess joiner = startInstance("wc-3");
            joiner.awaitReady(Duration.ofSeconds(120));
            joiner.close();
            instances.remove("wc-3");
            broker.stop();
            await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
            broker.startProcess();
            await().atMost(Duration.ofSeconds(120)).until(() -> Http.get(asked.url(paths[0])).status() == 200);
        } finally {
            running.set(false);
            client.join();
        }
        System.out.printf("FAULTS statuses=%s slowestMs=%d wrong=%d%n", statuses, slowest.get(), wrong.size());
        assertThat(wrong).as("only correct 200s, true 404s, or 503/504 with Retry-After").isEmpty();
        long all = statuses.values().stream().mapToLong(AtomicLong::get).sum();
        long answered = statuses.getOrDefault(200, new AtomicLong()).get() + statuses.getOrDefault(404, new AtomicLong()).get();
        assertThat(answered).as("most answers are answers, not retries (%s)", statuses).isGreaterThan(all * 9 / 10);
        assertThat(slowest.get()).as("no answer past the request deadline").isLessThan(10_000);
    }

    /** The sum of a windowed answer's counts. */
    private static long windowTotal(String body) {
        long sum = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":(\\d+)").matcher(body);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** The {"key":…,"value":…} entries of an answer, each as it is written. */
    private static java.util.Set<String> entries(String body) {
        java.util.Set<String> out = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"key\":\"[^\"]*\",\"value\":\\d+}").matcher(body);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private InstanceProcess startInstance(String name) throws Exception {
        // A restarted instance keeps its port (its application.server) and its state folder.
        InstanceProcess instance = cluster.start(name, LocalCluster.wordCount("HTTP_PORT",
                Integer.toString(instances.containsKey(name) ? instances.get(name).httpPort() : Ports.free())));
        if (instances.containsKey(name)) {
            restarts++;
        }
        instances.put(name, instance);
        return instance;
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
