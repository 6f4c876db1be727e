package io.wordcountiq.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WordCountTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> lines;
    private TestOutputTopic<String, Long> updates;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        driver = new TopologyTestDriver(WordCountTopology.build("in", "out", "windows-out", Duration.ofMinutes(1), Duration.ofHours(1), 12, Duration.ofHours(1), props), props);
        lines = driver.createInputTopic("in", new StringSerializer(), new StringSerializer(), T0, Duration.ofSeconds(1));
        updates = driver.createOutputTopic("out", new StringDeserializer(), new LongDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /**
     * A persistent store whose changelog partition has no record has no committed offset, and Kafka Streams (4.4,
     * exactly-once) then treats its task as corrupted each time the task is re-created where it ran before; closing it
     * dirty during a rebalance aborts the other tasks' uncommitted output for good (acknowledged lines lost in
     * FailoverIT). The Idempotency-Key store's changelog is empty unless clients send the header, so it is kept in
     * memory, which that check skips.
     */
    @Test
    void shouldKeepTheIdempotencyKeysWhereAnEmptyChangelogCannotCorruptTheInputTasks() {
        assertThat(driver.getAllStateStores().get(Names.IDEMPOTENCY_STORE).persistent()).isFalse();
    }

    @Test
    void shouldNotCountAWordLongerThanTheLongestKey() {
        lines.pipeInput("short twelvechars thirteenchars");

        assertThat(updates.readKeyValuesToMap()).containsOnlyKeys("short", "twelvechars");
    }

    @Test
    void shouldCountARequestWithAnIdempotencyKeyOnceHoweverOftenItArrives() {
        byte[] body = hash(1234L);
        lines.pipeInput(keyed("req-1", "apple pear\napple", body));
        lines.pipeInput(keyed("req-1", "apple pear\napple", body));
        lines.pipeInput(keyed("req-1", "apple pear\napple", body));
        // The same key with another body is dropped too (the API answers it 422 when it knows at once).
        lines.pipeInput(keyed("req-1", "cherry", hash(99L)));
        lines.pipeInput(keyed("req-2", "apple", hash(5L)));
        // Lines written without a key count every time, as before.
        lines.pipeInput("pear");
        lines.pipeInput("pear");

        Map<String, Long> counts = updates.readKeyValuesToMap();
        assertThat(counts).containsEntry("apple", 3L).containsEntry("pear", 3L).doesNotContainKey("cherry");
        KeyValueStore<String, ValueAndTimestamp<Long>> store = driver.getTimestampedKeyValueStore(Names.WORD_COUNT_STORE);
        assertThat(store.get("apple").value()).isEqualTo(3L);
    }

    @Test
    void shouldForgetAnIdempotencyKeyAfterItsRetention() {
        lines.pipeInput(keyed("req-late", "plum", hash(7L)));
        // Stream time moves two hours on: the key (retention one hour) is forgotten, and the next attempt counts.
        lines.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, "other", T0.plus(Duration.ofHours(2))));
        lines.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("req-late", "plum",
                new org.apache.kafka.common.header.internals.RecordHeaders().add(IdempotencyFilter.BODY_HASH_HEADER, hash(7L)),
                T0.plus(Duration.ofHours(2).plusSeconds(1))));

        assertThat(updates.readKeyValuesToMap()).containsEntry("plum", 2L);
    }

    @Test
    void shouldGiveObserversEveryWindowSoTheyAnswerTheSameWindowsAndForgetThemAtTheSameRetention() {
        lines.pipeInput("apple pear");
        lines.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, "apple", T0.plusSeconds(70)));
        lines.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, "apple", T0.plusSeconds(75)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "observer-test");
        try (TopologyTestDriver observer = new TopologyTestDriver(ObserverTopology.build("out", "windows-out",
                Duration.ofMinutes(1), Duration.ofHours(1), props), props)) {
            relayWindows(observer);
            assertThat(windows(observer.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "apple"))
                    .isEqualTo(windows(driver.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "apple"))
                    .containsExactly(T0.toEpochMilli() + "=1", T0.plusSeconds(60).toEpochMilli() + "=2");
            assertThat(windows(observer.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "pear"))
                    .containsExactly(T0.toEpochMilli() + "=1");

            // Two hours on (retention one hour), both forget the first windows.
            lines.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, "plum", T0.plus(Duration.ofHours(2))));
            relayWindows(observer);
            assertThat(windows(observer.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "apple"))
                    .isEqualTo(windows(driver.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "apple")).isEmpty();
            assertThat(windows(observer.getWindowStore(Names.WINDOWED_WORD_COUNT_STORE), "plum")).hasSize(1);
        }
    }

    /** Feeds what the word-count topology wrote to the windowed output topic to an observer's topology. */
    private TestOutputTopic<org.apache.kafka.streams.kstream.Windowed<String>, Long> windowedUpdates;

    private void relayWindows(TopologyTestDriver observer) {
        if (windowedUpdates == null) {
            windowedUpdates = driver.createOutputTopic("windows-out",
                    WindowedOutput.keySerde(Duration.ofMinutes(1)).deserializer(), new LongDeserializer());
        }
        var in = observer.createInputTopic("windows-out", WindowedOutput.keySerde(Duration.ofMinutes(1)).serializer(),
                new org.apache.kafka.common.serialization.LongSerializer());
        for (var record : windowedUpdates.readRecordsToList()) {
            in.pipeInput(record);
        }
    }

    private static java.util.List<String> windows(org.apache.kafka.streams.state.WindowStore<String, ?> store, String word) {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (var it = store.fetch(word, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)))) {
            it.forEachRemaining(kv -> out.add(kv.key + "=" + (kv.value instanceof ValueAndTimestamp<?> vt ? vt.value() : kv.value)));
        }
        return out;
    }

    private static org.apache.kafka.streams.test.TestRecord<String, String> keyed(String key, String value, byte[] hash) {
        return new org.apache.kafka.streams.test.TestRecord<>(key, value,
                new org.apache.kafka.common.header.internals.RecordHeaders().add(IdempotencyFilter.BODY_HASH_HEADER, hash));
    }

    private static byte[] hash(long value) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Test
    void shouldRepartitionWordsThroughTheTopicWhoseOffsetsConsistencyTokensName() {
        // Consistency compares store positions in this topic's offsets: the name must not drift from the topology.
        String description = WordCountTopology.build("in", "out", "windows-out", Duration.ofMinutes(1), Duration.ofHours(1), new Properties())
                .describe().toString();
        String topic = Names.repartitionTopic("app").substring("app-".length());

        assertThat(description).contains("topic: " + topic).contains("topics: [" + topic + "]");
    }

    @Test
    void shouldCountWordsOfTheReferenceCorpus() {
        List.of("hello", "world", "world", "hello world", "all streams lead to kafka", "streams", "kafka streams")
                .forEach(lines::pipeInput);

        KeyValueStore<String, ValueAndTimestamp<Long>> store = driver.getTimestampedKeyValueStore(Names.WORD_COUNT_STORE);
        Map<String, Long> expected = Map.of("all", 1L, "hello", 2L, "kafka", 2L, "lead", 1L, "streams", 3L, "to", 1L, "world", 3L);
        expected.forEach((word, count) -> assertThat(store.get(word).value()).as(word).isEqualTo(count));
        try (var all = store.all()) {
            assertThat(all).toIterable().hasSize(expected.size());
        }
    }

    @Test
    void shouldLowercaseAndSplitOnNonWordCharacters() {
        assertThat(WordCountTopology.words("  Hello,  WORLD!! hello--world  ")).containsExactly("hello", "world", "hello", "world");
        assertThat(WordCountTopology.words("")).isEmpty();
        assertThat(WordCountTopology.words(null)).isEmpty();
        assertThat(WordCountTopology.words("Grüße, Jörg")).containsExactly("grüße", "jörg");
    }

    @Test
    void shouldPublishEveryCountUpdateToTheOutputTopic() {
        lines.pipeInput("kafka streams kafka");

        assertThat(updates.readKeyValuesToList()).containsExactly(
                KeyValue.pair("kafka", 1L), KeyValue.pair("streams", 1L), KeyValue.pair("kafka", 2L));
    }

    @Test
    void shouldCountPerOneMinuteWindow() {
        lines.pipeInput("streams", T0);
        lines.pipeInput("streams", T0.plusSeconds(30));
        lines.pipeInput("streams", T0.plusSeconds(61));

        WindowStore<String, ValueAndTimestamp<Long>> windows = driver.getTimestampedWindowStore(Names.WINDOWED_WORD_COUNT_STORE);
        assertThat(windows.fetch("streams", T0.toEpochMilli()).value()).isEqualTo(2L);
        assertThat(windows.fetch("streams", T0.plusSeconds(60).toEpochMilli()).value()).isEqualTo(1L);
    }

    @Test
    void shouldCountARecordThatArrivesAfterItsWindowEndedAsLongAsTheWindowIsKept() {
        lines.pipeInput("late", T0.plusSeconds(10));
        lines.pipeInput("late", T0.plusSeconds(200));
        lines.pipeInput("late", T0.plusSeconds(20));

        WindowStore<String, ValueAndTimestamp<Long>> windows = driver.getTimestampedWindowStore(Names.WINDOWED_WORD_COUNT_STORE);
        assertThat(windows.fetch("late", T0.toEpochMilli()).value()).as("the late record counts in its own window").isEqualTo(2L);
    }

    @Test
    void shouldShareOneRepartitionTopicSoBothStoresOfAWordLiveTogether() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        String description = WordCountTopology.build("in", "out", "windows-out", Duration.ofMinutes(1), Duration.ofHours(1), props)
                .describe().toString();

        assertThat(description.split("Sink: ").length - 1).as("sinks in:\n" + description).isEqualTo(3);
        assertThat(description).contains("windows-out");
        assertThat(description).contains("words-repartition");
    }
}
