package io.wordcountiq.streams;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter alone between two topics: the first record of an Idempotency-Key passes and is remembered, every repeat
 * within the retention is dropped (one with another body counted as a conflict), anything without a valid body hash
 * passes untouched.
 */
class IdempotencyFilterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);

    private final TopologyTestDriver driver = new TopologyTestDriver(filterBetweenTwoTopics(),
            application("idempotency-filter-test"));
    private final TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(),
            new StringSerializer());
    private final TestOutputTopic<String, String> out = driver.createOutputTopic("out", new StringDeserializer(),
            new StringDeserializer());

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static Properties application(String id) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        return props;
    }

    /** in -> the filter, with its store as the word-count topology declares it -> out. */
    private static Topology filterBetweenTwoTopics() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(Names.IDEMPOTENCY_STORE, RETENTION,
                Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .processValues(() -> new IdempotencyFilter(RETENTION), Names.IDEMPOTENCY_STORE)
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    @Test
    void shouldPassTheFirstAttemptAndDropEveryRepeat() {
        send("req-1", "apple", hash(1L), T0);
        send("req-1", "apple", hash(1L), T0.plusSeconds(1));
        send("req-1", "apple", hash(1L), T0.plusSeconds(2));

        assertThat(out.readValuesToList()).containsExactly("apple");
        assertThat(total("repeats-dropped-total")).isEqualTo(2.0);
        assertThat(total("conflicts-dropped-total")).isZero();
    }

    @Test
    void shouldDropARepeatWithAnotherBodyAsAConflictAndKeepTheFirstBody() {
        send("req-1", "apple", hash(1L), T0);
        send("req-1", "cherry", hash(2L), T0.plusSeconds(1));

        assertThat(out.readValuesToList()).containsExactly("apple");
        assertThat(total("conflicts-dropped-total")).isEqualTo(1.0);
        WindowStore<String, Long> seen = driver.getWindowStore(Names.IDEMPOTENCY_STORE);
        try (var it = seen.fetch("req-1", T0, T0.plusSeconds(10))) {
            assertThat(it.next().value).isEqualTo(1L);
            assertThat(it.hasNext()).as("only the first attempt is remembered").isFalse();
        }
    }

    @Test
    void shouldTellKeysApart() {
        send("req-1", "apple", hash(1L), T0);
        send("req-2", "apple", hash(1L), T0);

        assertThat(out.readValuesToList()).containsExactly("apple", "apple");
    }

    @Test
    void shouldDropARepeatWithinTheRetentionEitherSideOfTheFirstAttempt() {
        send("req-1", "a", hash(1L), T0.plusSeconds(600));
        send("req-1", "b", hash(1L), T0.plus(RETENTION).plusSeconds(599));
        send("req-1", "c", hash(1L), T0.plusSeconds(1));

        assertThat(out.readValuesToList()).containsExactly("a");
    }

    @Test
    void shouldPassAnAttemptOnceTheFirstIsOlderThanTheRetention() {
        send("req-1", "a", hash(1L), T0);
        send("req-1", "b", hash(1L), T0.plus(RETENTION).plusMillis(1));

        assertThat(out.readValuesToList()).containsExactly("a", "b");
    }

    @Test
    void shouldPassRecordsWithoutAKeyOrAValidBodyHashUntouchedAndRememberNothing() {
        in.pipeInput(new TestRecord<>("req-1", "no header", new RecordHeaders(), T0));
        send(null, "no key", hash(1L), T0);
        send("req-1", "short hash", new byte[4], T0);
        send("req-1", "long hash", new byte[9], T0);
        in.pipeInput(new TestRecord<>("req-1", "null hash",
                new RecordHeaders().add(IdempotencyFilter.BODY_HASH_HEADER, null), T0));
        send("req-1", "first", hash(3L), T0);
        send("req-1", "repeat", hash(3L), T0);

        List<TestRecord<String, String>> passed = out.readRecordsToList();
        assertThat(passed).extracting(TestRecord::value)
                .containsExactly("no header", "no key", "short hash", "long hash", "null hash", "first");
        assertThat(passed.get(5).headers().lastHeader(IdempotencyFilter.BODY_HASH_HEADER).value()).isEqualTo(hash(3L));
    }

    private void send(String key, String value, byte[] hash, Instant at) {
        in.pipeInput(new TestRecord<>(key, value, new RecordHeaders().add(IdempotencyFilter.BODY_HASH_HEADER, hash), at));
    }

    private double total(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .map(e -> (Double) ((Metric) e.getValue()).metricValue())
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " in " + driver.metrics().keySet()));
    }

    private static byte[] hash(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
