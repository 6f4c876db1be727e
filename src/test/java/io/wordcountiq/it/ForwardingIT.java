package io.wordcountiq.it;

import io.wordcountiq.support.Corpus;
import io.wordcountiq.support.Http.Reply;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.InstanceProcess;
import io.wordcountiq.support.LocalCluster;
import io.wordcountiq.support.ReadinessWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three instance JVMs on a real broker: every key from every instance, whole-store queries, failover after kill -9. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForwardingIT {

    private final Corpus corpus = Corpus.random(42, 3000, 1000, 8);
    private final List<InstanceProcess> instances = new ArrayList<>();
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = LocalCluster.start("forwarding-it");
        instances.addAll(cluster.startReady(3, LocalCluster.wordCount("ACCESS_LOG", "true")));
        corpus.postTo(instances.get(0).url("/lines"), 500);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> corpus.allJson().equals(Http.get(instances.get(1).url("/state/keyvalues/word-count/all")).body()));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryWordIdenticallyFromEveryInstanceInOneHop() {
        int hops = 0;
        for (Map.Entry<String, Long> word : corpus.counts().entrySet()) {
            String expected = "{\"key\":\"" + word.getKey() + "\",\"value\":" + word.getValue() + "}";
            for (InstanceProcess instance : instances) {
                String owner = instances.get(0).ownerOf(word.getKey());
                Reply reply = Http.get(instance.url("/state/keyvalue/word-count/" + word.getKey()));
                assertThat(reply.status()).as(word.getKey() + " at " + instance.name()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo(expected);
                if (!owner.equals(reply.header("X-IQ-Served-By"))) {
                    // A rebalance (Kafka Streams moves tasks to caught-up instances in the first minute) moved the
                    // partition between the metadata read and the answer: once it settles, the owner answers.
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        String now = instances.get(0).ownerOf(word.getKey());
                        Reply again = Http.get(instance.url("/state/keyvalue/word-count/" + word.getKey()));
                        assertThat(again.body()).isEqualTo(expected);
                        assertThat(again.header("X-IQ-Served-By")).as("the owner answers").isEqualTo(now);
                    });
                    owner = instances.get(0).ownerOf(word.getKey());
                }
                hops += instance.address().equals(owner) ? 0 : 1;
            }
        }
        assertThat(hops).as("about two of three asks are forwarded").isGreaterThan(corpus.counts().size());
    }

    @Test
    @Order(2)
    void shouldKnowEachStandbysLagFromItsPeers() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Http.get(instances.get(0).url("/state/instance/word-count/w1")).body())
                        .matches(".*\"standbys\":\\[\\{\"host\":\"[^\"]+\",\"port\":\\d+,\"offsetLag\":\\d+}].*"));
    }

    @Test
    @Order(2)
    void shouldReturnTheWholeStoreFromAnyInstance() {
        String from = "w100";
        String to = "w199";
        String expectedRange = expectedRange(from, to);
        for (InstanceProcess instance : instances) {
            Reply all = Http.get(instance.url("/state/keyvalues/word-count/all?strict=true"));
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.body()).isEqualTo(corpus.allJson());
            assertThat(all.header("X-IQ-Missing")).isNull();
            assertThat(Http.get(instance.url("/state/keyvalues/word-count/range/" + from + "/" + to)).body()).isEqualTo(expectedRange);
            assertThat(walkPages(instance, "/state/keyvalues/word-count/all", 97)).as("pages from " + instance.name())
                    .isEqualTo(corpus.allJson());
            assertThat(walkPages(instance, "/state/keyvalues/word-count/range/" + from + "/" + to, 7)).isEqualTo(expectedRange);
        }
    }

    /**
     * Follows rel="next" links from the first page to the last and joins the pages. A page that cannot be complete
     * right now is a 503 with Retry-After: it is asked again (the cursor never moved past keys it did not see).
     */
    private static String walkPages(InstanceProcess instance, String path, int limit) {
        StringBuilder all = new StringBuilder("[");
        String next = path + "?limit=" + limit;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (next != null) {
            Reply page = Http.get(instance.url(next));
            if (page.status() == 503) {
                assertThat(page.header("Retry-After")).isNotNull();
                assertThat(System.nanoTime()).as("pages answer again within 2 minutes").isLessThan(deadline);
                await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
                continue;
            }
            assertThat(page.status()).as(next + ": " + page.body()).isEqualTo(200);
            assertThat(page.header("X-IQ-Missing")).isNull();
            String entries = page.body().substring(1, page.body().length() - 1);
            all.append(all.length() > 1 && !entries.isEmpty() ? "," : "").append(entries);
            String link = page.header("Link");
            next = link == null ? null : link.replaceAll("^<([^>]+)>; rel=\"next\"$", "$1");
        }
        return all.append(']').toString();
    }

    @Test
    @Order(3)
    void shouldAnswerUnknownWordsWith404FromEveryInstanceQuickly() {
        for (InstanceProcess instance : instances) {
            long start = System.nanoTime();
            Reply reply = Http.get(instance.url("/state/keyvalue/word-count/nosuchword"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.body()).startsWith("{\"status\":404,\"error\":\"word 'nosuchword' not found\"");
            assertThat(ms).as("no loop, no timeout").isLessThan(2000);
        }
    }

    @Test
    @Order(4)
    void shouldIgnoreHeadersAndQueryParametersThatTryToSteerForwarding() {
        String word = corpus.counts().keySet().iterator().next();
        InstanceProcess asked = instances.stream()
                .filter(i -> !i.address().equals(instances.get(0).ownerOf(word))).findFirst().orElseThrow();
        String expected = "{\"key\":\"" + word + "\",\"value\":" + corpus.counts().get(word) + "}";
        String[][] attempts = {
                {"X-IQ-Forwarded", "1"},
                {"X-IQ-Forwarded", "99999999999999.forged"},
                {"CamelHttpUri", "http://127.0.0.2:1/steal"},
                {"CamelHttpPath", "/state/instances"},
                {"X-Forwarded-Host", "evil.example:80"},
                {"X-IQ-Served-By", "evil.example:80"},
        };
        for (String[] header : attempts) {
            Reply reply = Http.get(asked.url("/state/keyvalue/word-count/" + word + "?host=127.0.0.2&port=1"), header);
            assertThat(reply.status()).as(header[0]).isEqualTo(200);
            assertThat(reply.body()).as(header[0]).isEqualTo(expected);
            assertThat(reply.header("X-IQ-Served-By")).as(header[0]).isEqualTo(instances.get(0).ownerOf(word));
        }
    }

    @Test
    @Order(4)
    void shouldIgnoreMarksForgedFromEveryPieceOfPublicConfiguration() throws Exception {
        String word = corpus.counts().keySet().iterator().next();
        String owner = instances.get(0).ownerOf(word);
        InstanceProcess asked = instances.stream().filter(i -> !i.address().equals(owner)).findFirst().orElseThrow();
        String keyPath = "/state/keyvalue/word-count/" + word;
        String allPath = "/state/keyvalues/word-count/all";
        // Everything an outsider can read: the application id, the old derived default, the service's names.
        List<String> publicValues = List.of("", "wordcount-iq", "wordcount-iq:wordcount-iq", "wordcount-iq-observer",
                "wordcount-iq:wordcount-iq-observer", "word-count", "text-lines-topic", "word-count-output", owner,
                asked.address(), "changeme", "secret");
        long now = System.currentTimeMillis();
        for (String guess : publicValues) {
            java.util.List<String> marks = new java.util.ArrayList<>();
            if (!guess.isEmpty()) {
                io.wordcountiq.wire.ForwardMarker forger = new io.wordcountiq.wire.ForwardMarker(guess, owner);
                marks.add(forger.sign(asked.address(), "GET", keyPath, null, now));
                marks.add(forger.sign(asked.address(), "GET", allPath, null, now));
            }
            marks.add("v2." + (now + 10_000) + ".forged");
            marks.add("v3." + (now + 4_000) + ".AAAAAAAAAAA.forged");
            marks.add((now + 10_000) + ".forged");
            for (String mark : marks) {
                Reply key = Http.get(asked.url(keyPath), "X-IQ-Forwarded", mark);
                assertThat(key.status()).as(guess + " " + mark).isEqualTo(200);
                assertThat(key.header("X-IQ-Served-By")).as("still forwarded to the owner: " + guess).isEqualTo(owner);
                Reply all = Http.get(asked.url(allPath), "X-IQ-Forwarded", mark);
                assertThat(all.body()).as("the whole store, not this instance's part: " + guess).isEqualTo(corpus.allJson());
                assertThat(all.header("X-IQ-Missing")).isNull();
                assertThat(all.header("X-IQ-Partitions")).as("no peer-part answer to a forged mark").isNull();
            }
        }
        // The mark of a real hop is worth nothing on another request: replayed on "all", it is ignored.
        io.wordcountiq.wire.ForwardMarker peer = new io.wordcountiq.wire.ForwardMarker(LocalCluster.FORWARD_SECRET, owner);
        String realMark = peer.sign(asked.address(), "GET", keyPath, null, now);
        Reply replayed = Http.get(asked.url(allPath), "X-IQ-Forwarded", realMark);
        assertThat(replayed.body()).isEqualTo(corpus.allJson());
        assertThat(replayed.header("X-IQ-Partitions")).isNull();
        // A mark for another instance is worth nothing here.
        InstanceProcess third = instances.stream().filter(i -> !i.address().equals(owner) && i != asked).findFirst()
                .orElseThrow();
        Reply elsewhere = Http.get(asked.url(allPath), "X-IQ-Forwarded", peer.sign(third.address(), "GET", allPath, null, now));
        assertThat(elsewhere.header("X-IQ-Partitions")).as("a mark made for " + third.address()).isNull();
        String honestMark = peer.sign(asked.address(), "GET", allPath, null, now);
        Reply honest = Http.get(asked.url(allPath), "X-IQ-Forwarded", honestMark);
        assertThat(honest.header("X-IQ-Partitions")).as("the check can pass: a mark under the shared secret is honoured")
                .isNotNull();
        Reply again = Http.get(asked.url(allPath), "X-IQ-Forwarded", honestMark);
        assertThat(again.header("X-IQ-Partitions")).as("a mark is taken once: replayed, it is ignored").isNull();
        assertThat(again.body()).isEqualTo(corpus.allJson());
    }

    /**
     * W3C trace context: the trace a request came with is in the entry instance's log line, on its hop to the owner
     * (the owner logs the same trace id) and on every peer's part of an "all".
     */
    @Test
    @Order(4)
    void shouldCarryTheTraceOfARequestOnEveryHop() throws Exception {
        InstanceProcess entry = instances.get(0);
        String word = corpus.counts().keySet().stream().filter(w -> !entry.ownerOf(w).equals(entry.address()))
                .findFirst().orElseThrow();
        InstanceProcess owner = instances.stream().filter(i -> i.address().equals(entry.ownerOf(word))).findFirst()
                .orElseThrow();
        String keyTrace = newTraceId();
        Reply key = Http.get(entry.url("/state/keyvalue/word-count/" + word), "traceparent", traceparent(keyTrace));
        assertThat(key.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(entry.log()).contains("trace=" + keyTrace + " - GET /state/keyvalue/word-count/" + word + " 200");
            assertThat(owner.log()).as("the hop carried the trace")
                    .contains("trace=" + keyTrace + " - GET /state/keyvalue/word-count/" + word + " 200");
        });

        String allTrace = newTraceId();
        assertThat(Http.get(entry.url("/state/keyvalues/word-count/all"), "traceparent", traceparent(allTrace)).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (InstanceProcess instance : instances) {
                assertThat(instance.log()).as("every part of the scatter-gather: " + instance.name())
                        .contains("trace=" + allTrace + " - GET /state/keyvalues/word-count/all 200");
            }
        });

        Reply untraced = Http.get(entry.url("/state/keyvalue/word-count/" + word), "traceparent", "not-a-traceparent");
        assertThat(untraced.status()).as("a bad traceparent starts a new trace, nothing else").isEqualTo(200);
    }

    /** Last: the line written here changes the counts that the tests before it compare. */
    @Test
    @Order(7)
    void shouldCarryTheTraceOfALinesRequestIntoTheRecordsWritten() {
        String linesTrace = newTraceId();
        String line = "tracedline" + linesTrace.substring(0, 8);
        Reply posted = Http.postLines(instances.get(0).url("/lines"), line, "traceparent", traceparent(linesTrace));
        assertThat(posted.status()).isEqualTo(202);
        assertThat(traceOfRecord(line)).as("the record carries the request's trace").contains("-" + linesTrace + "-");
    }

    private String traceOfRecord(String line) {
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", cluster.broker().bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        props.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props)) {
            var partitions = consumer.partitionsFor("text-lines-topic").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (line.equals(record.value())) {
                        var header = record.headers().lastHeader("traceparent");
                        return header == null ? "" : new String(header.value(), java.nio.charset.StandardCharsets.US_ASCII);
                    }
                }
            }
        }
        throw new AssertionError("record '" + line + "' not found on text-lines-topic");
    }

    private static String newTraceId() {
        return java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(System.nanoTime()).putLong(java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1).array());
    }

    private static String traceparent(String traceId) {
        return "00-" + traceId + "-00f067aa0ba902b7-01";
    }

    @Test
    @Order(5)
    void shouldKeepAnsweringAKilledOwnersKeysFromItsStandbyThenTheNewOwner() throws Exception {
        InstanceProcess victim = instances.get(2);
        InstanceProcess asked = instances.get(0);
        List<String> victimsWords = corpus.counts().keySet().stream()
                .filter(w -> asked.ownerOf(w).equals(victim.address())).limit(20).toList();
        assertThat(victimsWords).isNotEmpty();

        victim.kill();
        long killedAt = System.nanoTime();
        // Until the group notices, the dead owner is still in metadata: its partitions come from their standbys, and
        // the answer is whole, and says it is stale.
        for (String all : List.of("/state/keyvalues/word-count/all", "/state/keyvalues/word-count/all?strict=true")) {
            Reply whole = Http.get(asked.url(all));
            assertThat(whole.status()).as(whole.body()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(corpus.allJson());
            assertThat(whole.header("X-IQ-Missing")).isNull();
            assertThat(whole.header("X-IQ-Stale")).as("the dead owner's partitions from their standbys").isEqualTo("true");
        }
        ReadinessWatch readiness = ReadinessWatch.start(instances.subList(0, 2));
        // A cursor walk while the instance is gone and its partitions move: pages are strict (a 503 until every
        // partition can be read again), so a walk that goes on through them ends with every key exactly once.
        java.util.concurrent.CompletableFuture<String> walkWhileLeaving = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> walkPages(instances.get(1), "/state/keyvalues/word-count/all", 150));
        int failures = 0;
        int stale = 0;
        int asks = 0;
        long slowestMs = 0;
        // Ask the victim's words round and round for 40 s: its standby answers, then the new owner after the rebalance.
        while (System.nanoTime() - killedAt < Duration.ofSeconds(40).toNanos()) {
            for (String word : victimsWords) {
                long t0 = System.nanoTime();
                Reply reply = Http.get(asked.url("/state/keyvalue/word-count/" + word));
                slowestMs = Math.max(slowestMs, (System.nanoTime() - t0) / 1_000_000);
                asks++;
                if (reply.status() != 200) {
                    failures++;
                    System.out.println("FAILOVER non-200 " + reply.status() + " " + reply.body());
                    continue;
                }
                assertThat(reply.body()).isEqualTo("{\"key\":\"" + word + "\",\"value\":" + corpus.counts().get(word) + "}");
                stale += "true".equals(reply.header("X-IQ-Stale")) ? 1 : 0;
            }
        }
        readiness.stop();
        assertThat(walkWhileLeaving.get(30, java.util.concurrent.TimeUnit.SECONDS))
                .as("a cursor walk through the leave has every key exactly once").isEqualTo(corpus.allJson());
        System.out.printf("FAILOVER sessionTimeoutMs=10000 asks=%d non200=%d staleAnswers=%d slowestMs=%d survivorsNotReady=%d/%d%n",
                asks, failures, stale, slowestMs, readiness.notReady(), readiness.samples());
        assertThat(readiness.notReady()).as("the survivors stay ready through the rebalance").isZero();
        assertThat(failures).as("an owner's death costs the client nothing").isZero();
        assertThat(slowestMs).as("each answer within the request deadline").isLessThan(5_000);
    }

    @Test
    @Order(6)
    void shouldEndTheSeedsLoopingMisconfigurationWithABoundedAnswer() throws Exception {
        // The seed's fault: an application.server that leads somewhere else than the instance advertising it.
        // This instance advertises a name of wc-0; asks for its keys reach wc-0, which answers locally only.
        InstanceProcess wc0 = instances.get(0);
        InstanceProcess misconfigured = cluster.start("misconfigured", Map.of(
                "NUM_STANDBY_REPLICAS", "1",
                "APPLICATION_SERVER", "127.0.0.1:" + wc0.httpPort(),
                "REQUEST_TIMEOUT_MS", "3000",
                "KAFKA_SESSION_TIMEOUT_MS", "10000"));
        instances.add(misconfigured);
        misconfigured.awaitReady(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(wc0.url("/state/instances")).body().contains("127.0.0.1"));

        List<String> misroutedWords = corpus.counts().keySet().stream()
                .filter(w -> wc0.ownerOf(w).equals("127.0.0.1:" + wc0.httpPort())).limit(10).toList();
        assertThat(misroutedWords).as("the misconfigured instance owns some words").isNotEmpty();
        for (String word : misroutedWords) {
            long start = System.nanoTime();
            Reply reply = Http.get(wc0.url("/state/keyvalue/word-count/" + word));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("bounded by REQUEST_TIMEOUT_MS + FORWARD_TIMEOUT_MS").isLessThan(7_000);
            // Nobody can reach the misconfigured owner, so the key's standby answers, and says so.
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("{\"key\":\"" + word + "\",\"value\":" + corpus.counts().get(word) + "}");
            assertThat(reply.header("X-IQ-Stale")).isEqualTo("true");
            assertThat(reply.header("X-IQ-Copy")).isEqualTo("standby");
        }
    }

    private String expectedRange(String from, String to) {
        StringBuilder sb = new StringBuilder("[");
        corpus.counts().forEach((k, v) -> {
            if (k.compareTo(from) >= 0 && k.compareTo(to) <= 0) {
                sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(k).append("\",\"value\":").append(v).append('}');
            }
        });
        return sb.append(']').toString();
    }
}
