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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * POST /lines while the broker is down: a quick 503 that means nothing was written, reads that keep answering,
 * one log line per outage, and after the broker is back every line that got 202 counted exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestOutageIT {

    private final Corpus corpus = Corpus.random(5, 500, 100, 5);
    private LocalCluster cluster;
    private InstanceProcess instance;

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start("ingest-outage-it");
        instance = cluster.start("wc-0", Map.of("TOPIC_PARTITIONS", "2"));
        instance.awaitReady(Duration.ofSeconds(120));
        corpus.postTo(instance.url("/lines"), 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> corpus.allJson().equals(
                Http.get(instance.url("/state/keyvalues/word-count/all")).body()));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldRefuseIngestQuicklyAndKeepReadingWhileTheBrokerIsDownThenCountEveryAcceptedLineOnce() throws Exception {
        String known = corpus.counts().keySet().iterator().next();
        String knownBody = Http.get(instance.url("/state/keyvalue/word-count/" + known)).body();
        cluster.broker().stop();

        // Reads go on from another thread while ingest is refused.
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicLong badReads = new AtomicLong();
        AtomicLong slowestReadMs = new AtomicLong();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                long t0 = System.nanoTime();
                Reply r = Http.get(instance.url("/state/keyvalue/word-count/" + known));
                slowestReadMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                reads.incrementAndGet();
                if (r.status() != 200 || !r.body().equals(knownBody)) {
                    badReads.incrementAndGet();
                }
            }
        });
        reader.start();
        long slowestPostMs = 0;
        List<String> refusedWords = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String word = "refusedword" + i;
            long t0 = System.nanoTime();
            Reply posted = Http.post(instance.url("/lines"), "text/plain", word + " " + word);
            slowestPostMs = Math.max(slowestPostMs, (System.nanoTime() - t0) / 1_000_000);
            assertThat(posted.status()).as(posted.body()).isEqualTo(503);
            assertThat(posted.header("Retry-After")).isNotNull();
            assertThat(posted.body()).contains("nothing of this request was written");
            refusedWords.add(word);
        }
        reading.set(false);
        reader.join();

        cluster.broker().startProcess();
        long backAt = System.nanoTime();
        List<String> acceptedWords = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            // A new word each time: a 504 (outcome unknown) must not make a later word count twice.
            String word = "acceptedword" + attempts.getAndIncrement();
            Reply posted = Http.post(instance.url("/lines"), "text/plain", word);
            assertThat(posted.status()).as(posted.body()).isIn(202, 503, 504);
            if (posted.status() == 202) {
                acceptedWords.add(word);
                return true;
            }
            return false;
        });
        long ingestBackMs = (System.nanoTime() - backAt) / 1_000_000;
        for (int i = 0; i < 5; i++) {
            String word = "acceptedword" + attempts.getAndIncrement();
            assertThat(Http.post(instance.url("/lines"), "text/plain", word).status()).isEqualTo(202);
            acceptedWords.add(word);
        }

        for (String word : acceptedWords) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Http.get(instance.url("/state/keyvalue/word-count/" + word)).status() == 200);
            assertThat(Http.get(instance.url("/state/keyvalue/word-count/" + word)).body())
                    .as("counted exactly once").isEqualTo("{\"key\":\"" + word + "\",\"value\":1}");
        }
        // What the input topic holds, as the application reads it (read_committed): the accepted lines, none refused.
        List<String> committed = io.wordcountiq.support.InputTopic.readCommitted(cluster.broker().bootstrapServers(),
                "text-lines-topic");
        for (String word : acceptedWords) {
            assertThat(committed).as("the accepted line is in the topic: " + word).contains(word);
        }
        for (String word : refusedWords) {
            assertThat(committed).as("a 503 wrote nothing: " + word).doesNotContain(word + " " + word);
            assertThat(Http.get(instance.url("/state/keyvalue/word-count/" + word)).status())
                    .as("and nothing was counted: " + word).isEqualTo(404);
        }
        String log = instance.log();
        long outageLines = log.lines().filter(l -> l.contains("Kafka cannot be reached: POST /lines answers 503")).count();
        long backLines = log.lines().filter(l -> l.contains("Kafka is reachable again")).count();
        System.out.printf("INGEST_OUTAGE posts503=%d slowestPostMs=%d reads=%d badReads=%d slowestReadMs=%d "
                        + "ingestBackAfterBrokerStartMs=%d outageLogLines=%d backLogLines=%d%n", refusedWords.size(),
                slowestPostMs, reads.get(), badReads.get(), slowestReadMs.get(), ingestBackMs, outageLines, backLines);
        assertThat(slowestPostMs).as("503 within 5 s").isLessThan(5_000);
        assertThat(ingestBackMs).as("ingest back within a minute of the broker").isLessThan(60_000);
        assertThat(badReads.get()).as("reads of local state keep answering").isZero();
        assertThat(reads.get()).isPositive();
        assertThat(slowestReadMs.get()).isLessThan(2_000);
        assertThat(outageLines).as("the outage is logged once").isEqualTo(1);
        assertThat(backLines).isEqualTo(1);
        assertThat(Http.get(instance.url("/state/keyvalue/word-count/" + known)).body()).isEqualTo(knownBody);
    }
}
