package io.wordcountiq.it;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.PathSegments;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.wire.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No thread waits: two instance JVMs on a real broker, one of them holding a thousand requests open for longer than
 * REQUEST_TIMEOUT_MS (tokens no copy will ever cover, in every place a client can put one, and the page's lookups of
 * keys held elsewhere), while health, plain lookups and forwarded lookups keep answering; and every kind of key
 * answered from every instance as its owner answers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoThreadWaitsIT {

    private static final int PARTITIONS = 6;
    /** Stored words of every kind: scripts, a compatibility ligature, combining marks, a joiner, the longest key. */
    private static final List<String> WORDS = List.of("hello", "world", "日本語", "ﬀ", "cafe\u0301", "a\u200db",
            "наука", "x".repeat(256));
    /** Keys no word can be, whose answers must still be the owner's (a 404 naming the key). */
    private static final List<String> NOT_WORDS = List.of("alpha?zzz", "q1/../../../keyvalues/word-count/all", "100%",
            "a#b", "a+b", "a b", "%2F", "..x");

    private final List<InstanceProcess> instances = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("no-thread-waits-it");
        instances.addAll(cluster.startReady(2, LocalCluster.wordCount("REQUEST_TIMEOUT_MS", "4000",
                "ADMIT_TOKEN_WAITS", "300", "ADMIT_UI", "200")));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("w").append(i).append(' ').append(String.join(" ", WORDS)).append('\n');
        }
        assertThat(Http.postLines(instances.get(0).url("/lines"), lines.toString()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> Http.get(instances.get(1).url("/state/keyvalue/word-count/"
                + PathSegments.encode(WORDS.get(WORDS.size() - 1)))).body().endsWith(",\"value\":40}"));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldAnswerEveryKindOfKeyFromEveryInstanceAsItsOwnerDoes() {
        List<String> keys = new ArrayList<>(WORDS);
        keys.addAll(NOT_WORDS);
        // Until the group has settled after start (a rebalance moves partitions), an owner may still be restoring.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            int forwarded = 0;
            for (String key : keys) {
                String path = "/state/keyvalue/word-count/" + PathSegments.encode(key);
                String owner = instances.get(0).ownerOf(key);
                InstanceProcess ownerInstance = instances.stream().filter(i -> i.address().equals(owner)).findFirst()
                        .orElseThrow();
                Reply expected = Http.get(ownerInstance.url(path));
                if (WORDS.contains(key)) {
                    assertThat(expected.body()).as(key).isEqualTo("{\"key\":" + json(key) + ",\"value\":40}");
                } else {
                    assertThat(expected.status()).as(key).isEqualTo(404);
                    assertThat(expected.body()).as(key).contains(json(key).substring(1, json(key).length() - 1));
                }
                for (InstanceProcess instance : instances) {
                    Reply reply = Http.get(instance.url(path));
                    assertThat(reply.status()).as("%s at %s", key, instance.name()).isEqualTo(expected.status());
                    assertThat(reply.body()).as("%s at %s", key, instance.name()).isEqualTo(expected.body());
                    assertThat(reply.header("X-IQ-Served-By")).as("the owner answers").isEqualTo(owner);
                    forwarded += instance == ownerInstance ? 0 : 1;
                }
            }
            assertThat(forwarded).as("every key was also asked where it is not").isEqualTo(keys.size());
        });
    }

    /** A key as a JSON string, as the service writes it (Jackson). */
    private static String json(String key) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(key);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldStayLiveAndAnswerWhileAThousandRequestsWaitOnIt() throws Exception {
        InstanceProcess asked = instances.get(0);
        InstanceProcess other = instances.get(1);
        List<String> remote = new ArrayList<>();
        String local = null;
        for (int i = 0; i < 40; i++) {
            String word = "w" + i;
            if (asked.ownerOf(word).equals(other.address())) {
                remote.add(word);
            } else if (local == null) {
                local = word;
            }
        }
        assertThat(remote).isNotEmpty();
        assertThat(local).isNotNull();
        Map<Integer, Long> farAhead = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            farAhead.put(p, 1_000_000_000_000L);
        }
        String never = new Tokens(List.of(LocalCluster.FORWARD_SECRET)).encode(new ConsistencyToken(Map.of(), Set.of(),
                farAhead));

        // HTTP/1.1: a thousand connections, each with its request, as a thousand clients would.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<Outcome>> load = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            String key = remote.get(i % remote.size());
            HttpRequest request = switch (i % 4) {
                case 0 -> get(asked.url("/state/keyvalue/word-count/" + key)).header("X-IQ-Token", never).build();
                case 1 -> get(asked.url("/state/keyvalue/word-count/" + key + "?token=" + never)).build();
                // Not where a token goes: a query parameter never becomes a header. A plain lookup, answered at once.
                case 2 -> get(asked.url("/state/keyvalue/word-count/" + key + "?X-IQ-Token=" + never)).build();
                default -> get(asked.url("/ui/api/lookup?key=" + key)).build();
            };
            int kind = i % 4;
            load.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Outcome(kind, r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                            r.body(), (System.nanoTime() - started) / 1e6))
                    .exceptionally(e -> new Outcome(kind, -1, null, e.toString(), (System.nanoTime() - started) / 1e6)));
        }

        // While the load waits on the instance: health on the management port, plain and forwarded lookups.
        List<Double> healthMs = new ArrayList<>();
        int lookups = 0;
        String localPath = "/state/keyvalue/word-count/" + local;
        String remotePath = "/state/keyvalue/word-count/" + remote.get(0);
        while (load.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() - started < 20_000_000_000L) {
            for (String health : List.of("/observe/health/live", "/observe/health/ready")) {
                long t = System.nanoTime();
                assertThat(Http.get(asked.managementUrl(health)).status()).as(health).isEqualTo(200);
                healthMs.add((System.nanoTime() - t) / 1e6);
            }
            assertThat(Http.get(asked.url(localPath)).body()).isEqualTo("{\"key\":\"" + local + "\",\"value\":1}");
            assertThat(Http.get(asked.url(remotePath)).body()).isEqualTo("{\"key\":\"" + remote.get(0) + "\",\"value\":1}");
            lookups++;
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        }
        assertThat(load).as("every request ends: none hangs").allMatch(CompletableFuture::isDone);
        List<Outcome> outcomes = load.stream().map(CompletableFuture::join).toList();
        double slowest = healthMs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        long refused = outcomes.stream().filter(o -> o.status == 503 && o.body.contains("too many")).count();
        double lastEnd = outcomes.stream().mapToDouble(o -> o.ms).max().orElse(0);
        System.out.printf("NO_THREAD_WAITS requests=%d healthProbes=%d healthMaxMs=%.1f lookupsDuringLoad=%d "
                        + "refusedAtOnce=%d lastAnswerMs=%.0f statuses=%s%n", outcomes.size(), healthMs.size(), slowest,
                lookups, refused, lastEnd, statuses(outcomes));
        outcomes.stream().filter(o -> o.status < 0).limit(3).forEach(o -> System.out.println("NO_THREAD_WAITS error " + o.body));

        assertThat(lookups).as("plain and forwarded lookups answered while the load waited").isGreaterThan(5);
        assertThat(slowest).as("liveness and readiness within 100 ms under any API load").isLessThanOrEqualTo(100);
        for (Outcome o : outcomes) {
            if (o.kind == 2) {
                assertThat(o.status).as("no token: answered at once, %s", o.body).isEqualTo(200);
                assertThat(o.body).matches("\\{\"key\":\"w\\d+\",\"value\":1}");
            } else if (o.kind == 3 && o.status == 200) {
                assertThat(o.body).contains("\"value\":1");
            } else {
                // A token no copy covers ends at the deadline (503, or 504 when the holders only timed out), and a
                // request past its class's bound is refused at once (503): never a hang, always with Retry-After.
                assertThat(o.status).as("%s", o.body).isIn(503, 504);
                assertThat(o.retryAfter).as("says when to retry: %s", o.body).isNotNull();
            }
        }
        assertThat(refused).as("the token waits past ADMIT_TOKEN_WAITS were refused at once").isGreaterThan(0);
        assertThat(outcomes.stream().filter(o -> o.status == 503 && o.body.contains("too many")))
                .allSatisfy(o -> assertThat(o.ms).as("refused at once, not after a wait").isLessThan(3000));

        // Back to normal by itself: nothing in flight, every class admits again.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(inFlight(asked)).as("requests in flight")
                .isZero());
        Reply again = Http.get(asked.url(remotePath), "X-IQ-Token", Http.get(asked.url(remotePath)).header("X-IQ-Token"));
        assertThat(again.status()).isEqualTo(200);
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    }

    private static final Pattern IN_FLIGHT = Pattern.compile("wordcount_iq_requests_in_flight\\{[^}]*} ([0-9.]+)");

    /** Every class's requests in flight, summed, from /observe/metrics. */
    private static double inFlight(InstanceProcess instance) {
        Matcher m = IN_FLIGHT.matcher(Http.get(instance.managementUrl("/observe/metrics")).body());
        double sum = 0;
        int classes = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            classes++;
        }
        assertThat(classes).as("the in-flight gauges are published").isGreaterThan(0);
        return sum;
    }

    private static Map<String, Long> statuses(List<Outcome> outcomes) {
        Map<String, Long> out = new java.util.TreeMap<>();
        outcomes.forEach(o -> out.merge(o.kind + ":" + o.status, 1L, Long::sum));
        return out;
    }

    private record Outcome(int kind, int status, String retryAfter, String body, double ms) {
    }
}
