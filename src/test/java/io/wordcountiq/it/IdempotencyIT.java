package io.wordcountiq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wordcountiq.streams.WordCountTopology;
import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.CuttingProxy;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.support.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exactly once from the client: 2,000 POST /lines, each with its own Idempotency-Key, each sent one to three times
 * through different instances and through proxies that cut connections after the request was sent, while one instance
 * is killed with -9 and restarted. Every count equals the requests' words counted once. The same traffic without the
 * header counts twice, so the check can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdempotencyIT {

    private static final int REQUESTS = 2000;
    private static final Pattern ENTRY = Pattern.compile("\\{\"key\":\"([^\"]+)\",\"value\":(\\d+)}");

    private final List<InstanceProcess> instances = new ArrayList<>();
    private final List<CuttingProxy> proxies = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("idempotency-it");
        instances.addAll(cluster.startReady(3, LocalCluster.WORD_COUNT));
        for (InstanceProcess instance : instances) {
            proxies.add(CuttingProxy.start(instance.httpPort(), 0.25));
        }
    }

    @AfterAll
    void stop() throws IOException {
        for (CuttingProxy proxy : proxies) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldCountEveryRequestOnceHoweverOftenAndThroughWhicheverInstanceItIsSent() throws Exception {
        Random random = new Random(42);
        List<String> bodies = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        for (int r = 0; r < REQUESTS; r++) {
            StringBuilder body = new StringBuilder();
            int lines = 1 + random.nextInt(3);
            for (int l = 0; l < lines; l++) {
                for (int w = 0; w < 4; w++) {
                    body.append(w == 0 ? "" : " ").append("ik").append(random.nextInt(300));
                }
                body.append('\n');
            }
            bodies.add(body.toString());
            body.toString().lines().forEach(line -> WordCountTopology.words(line).forEach(w -> expected.merge(w, 1L, Long::sum)));
        }
        // Where a request can be sent: each instance directly, and each through its cutting proxy.
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            ports.add(instances.get(i).httpPort());
            ports.add(proxies.get(i).port());
        }
        Map<Integer, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger sends = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int r = 0; r < REQUESTS; r++) {
            int request = r;
            int planned = 1 + new Random(request).nextInt(3);
            all.add(clients.submit(() -> {
                String key = "req-" + request + "-" + Long.toHexString(t0);
                boolean accepted = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                for (int attempt = 0; attempt < planned || !accepted; attempt++) {
                    assertThat(System.nanoTime()).as("request " + request + " accepted within 90 s").isLessThan(deadline);
                    int port = ports.get((request + attempt * 3) % ports.size());
                    int status = post(port, key, bodies.get(request), replayed);
                    sends.incrementAndGet();
                    outcomes.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    assertThat(status).as("request " + request + " attempt " + attempt).isIn(202, 503, 504, -1);
                    accepted |= status == 202;
                    if (status != 202 && attempt >= planned - 1) {
                        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                    }
                }
                done.incrementAndGet();
                return null;
            }));
        }
        // One instance killed with -9 a quarter of the way in, started again at half way.
        InstanceProcess victim = instances.get(2);
        await().atMost(Duration.ofMinutes(5)).until(() -> done.get() >= REQUESTS / 4);
        victim.kill();
        await().atMost(Duration.ofMinutes(5)).until(() -> done.get() >= REQUESTS / 2);
        InstanceProcess restarted = cluster.start(victim.name(), victim.env());
        instances.set(2, restarted);
        for (Future<?> f : all) {
            f.get(10, TimeUnit.MINUTES);
        }
        clients.shutdown();
        restarted.awaitReady(Duration.ofSeconds(120));
        long sentMs = (System.nanoTime() - t0) / 1_000_000;

        String range = "/state/keyvalues/word-count/range/ik/ik~?strict=true";
        String want = new Corpus(List.of(), expected).rangeJson("ik", "ik~");
        await("every count settles").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> want.equals(Http.get(instances.get(0).url(range)).body()));
        Map<String, Long> counted = counts(Http.get(instances.get(1).url(range)).body());
        long repeatsDropped = 0;
        for (InstanceProcess instance : instances) {
            Matcher m = Pattern.compile("wordcount_iq_idempotency_repeats_dropped_total\\{[^}]*} ([0-9.E]+)")
                    .matcher(Http.get(instance.managementUrl("/observe/metrics")).body());
            while (m.find()) {
                repeatsDropped += (long) Double.parseDouble(m.group(1));
            }
        }
        long cut = proxies.stream().mapToLong(CuttingProxy::cut).sum();
        System.out.printf("IDEMPOTENCY requests=%d sends=%d outcomes=%s cutAfterSending=%d answeredReplayed=%d "
                        + "repeatsDroppedNow=%d (the killed instance's count restarts at 0) sentInMs=%d words=%d%n",
                REQUESTS, sends.get(), outcomes, cut, replayed.get(), repeatsDropped, sentMs, expected.size());
        assertThat(counted).as("every word counted once per request, however often it was sent").isEqualTo(expected);
        assertThat(sends.get()).as("requests were sent more than once").isGreaterThan(REQUESTS * 3 / 2);
        assertThat(cut).as("connections were cut after their request was sent").isGreaterThan(100);
        assertThat(repeatsDropped).as("the metric reports repeats").isPositive();
    }

    /** The control: the same kind of traffic without the header counts twice, so the check above can fail. */
    @Test
    @Order(2)
    void shouldCountARepeatedRequestTwiceWithoutTheKey() {
        Map<String, Long> once = new TreeMap<>();
        for (int r = 0; r < 100; r++) {
            String body = "nk" + (r % 40) + " nk" + ((r * 7) % 40);
            WordCountTopology.words(body).forEach(w -> once.merge(w, 1L, Long::sum));
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThat(Http.postLines(instances.get(attempt).url("/lines"), body).status()).isEqualTo(202);
            }
        }
        String range = "/state/keyvalues/word-count/range/nk/nk~?strict=true";
        Map<String, Long> twice = new TreeMap<>();
        once.forEach((k, v) -> twice.put(k, 2 * v));
        await().atMost(Duration.ofSeconds(60)).until(() -> counts(Http.get(instances.get(0).url(range)).body()).equals(twice));
        assertThat(counts(Http.get(instances.get(0).url(range)).body())).isNotEqualTo(once);
    }

    @Test
    @Order(3)
    void shouldRefuseAnotherBodyUnderAUsedKeyAndAMalformedKey() throws Exception {
        int port = instances.get(0).httpPort();
        AtomicInteger replayed = new AtomicInteger();
        assertThat(post(port, "conflict-1", "first body\n", replayed)).isEqualTo(202);
        await("the first attempt is remembered").atMost(Duration.ofSeconds(30)).until(() ->
                post(instances.get(1).httpPort(), "conflict-1", "first body\n", replayed) == 202 && replayed.get() > 0);
        RawHttp.Response other = RawHttp.send(instances.get(2).httpPort(), request("conflict-1", "another body\n"));
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(other.body()).contains("\"error\":").contains("nothing of this request was written");
        RawHttp.Response malformed = RawHttp.send(port, request("has space", "x\n"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(Http.get(instances.get(0).url("/state/windowed/idempotency-keys/conflict-1/0/9999999999999")).status())
                .as("the store of keys is not for clients").isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(instances.get(0).url("/state/keyvalue/word-count/first")).body().equals("{\"key\":\"first\",\"value\":1}"));
        assertThat(Http.get(instances.get(0).url("/state/keyvalue/word-count/another")).status()).isEqualTo(404);
    }

    /** One POST /lines on a connection of its own; the status, or -1 when the connection broke before an answer. */
    private static int post(int port, String key, String body, AtomicInteger replayed) {
        try {
            RawHttp.Response r = RawHttp.send(port, request(key, body));
            if (r.head().toLowerCase().contains("idempotent-replayed: true")) {
                replayed.incrementAndGet();
            }
            return r.status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] request(String key, String body) {
        return RawHttp.request("POST", "/lines", "Idempotency-Key: \"" + key + "\"\r\n", "text/plain",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Long> counts(String json) {
        Map<String, Long> out = new TreeMap<>();
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }
}
