package io.wordcountiq.streams;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts words per key and per 1-minute window. Every count update goes to the output topic, and every windowed count
 * update to the windowed output topic (keyed by word and window start, partitioned by word), for observers.
 */
public final class WordCountTopology {

    private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);

    private WordCountTopology() {
    }

    public static List<String> words(String line) {
        if (line == null) {
            return List.of();
        }
        return Arrays.stream(NON_WORD.split(line.toLowerCase(Locale.ROOT))).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * @param props the Streams config; passed to {@code build} so that topology.optimization=all merges the two
     *              aggregations' repartition topics and keeps both stores of one word on the same instance.
     */
    public static Topology build(String inputTopic, String outputTopic, String windowedOutputTopic, Duration windowSize,
                                 Duration windowRetention, Properties props) {
        return build(inputTopic, outputTopic, windowedOutputTopic, windowSize, windowRetention, Integer.MAX_VALUE,
                DEFAULT_IDEMPOTENCY_RETENTION, props);
    }

    /** IDEMPOTENCY_RETENTION_MS's default, for callers that do not configure it (the bench's floor, tests). */
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofDays(1);

    /**
     * @param maxKeyLength MAX_KEY_LENGTH: a longer word could never be asked for by its key, nor named by a page's
     *                     cursor, so it is not counted (POST /lines refuses a line holding one; this drops one that
     *                     reached the input topic some other way)
     * @param idempotencyRetention IDEMPOTENCY_RETENTION_MS: how long a request's Idempotency-Key is remembered, so
     *                     that every repeat within it is dropped before its words are counted
     */
    public static Topology build(String inputTopic, String outputTopic, String windowedOutputTopic, Duration windowSize,
                                 Duration windowRetention, int maxKeyLength, Duration idempotencyRetention,
                                 Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        // Windows of 1 ms at the first attempt's timestamp: the store is only asked for a key over a time span, and
        // drops keys once they are older than the retention.
        //
        // In memory (restored from its changelog), not RocksDB: most partitions of this store's changelog stay empty
        // (only requests with an Idempotency-Key write to it), and a persistent store whose changelog offset is unknown
        // makes Kafka Streams 4.4 under exactly-once treat the input task as corrupted ("did not find checkpoint offsets
        // while stores are not empty") every time the task is re-created on an instance that held it before: a standby
        // promoted after a kill, a rebalance, a restart. Closing that corrupted task dirty aborts the stream thread's
        // shared transaction; when this happens during a rebalance, Kafka Streams skips the commit of the other tasks
        // before it (TaskManager.handleCorruption), so their records processed since their last commit lose their
        // output while their input offsets are committed later: acknowledged lines were never counted (FailoverIT).
        // An in-memory store is never checked that way.
        builder.addStateStore(Stores.windowStoreBuilder(Stores.inMemoryWindowStore(Names.IDEMPOTENCY_STORE,
                idempotencyRetention, Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        KGroupedStream<String, String> byWord = builder
                .stream(inputTopic, Consumed.with(Serdes.String(), Serdes.String()))
                .processValues(() -> new IdempotencyFilter(idempotencyRetention), Names.IDEMPOTENCY_STORE)
                .flatMapValues(line -> words(line).stream().filter(w -> w.length() <= maxKeyLength).toList())
                .groupBy((key, word) -> word, Grouped.with(Names.WORDS_GROUPING, Serdes.String(), Serdes.String()));

        byWord.count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(Names.WORD_COUNT_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()));

        // A window takes late records for as long as it is kept: the words of one minute reach a word's partition
        // from every input partition in any order, and a task that restarts after a failure replays older records.
        // With no grace, every such record past a window's end would be dropped, and windows would undercount.
        Duration retention = windowRetention.compareTo(windowSize) < 0 ? windowSize : windowRetention;
        byWord.windowedBy(TimeWindows.ofSizeAndGrace(windowSize, retention.minus(windowSize)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(Names.WINDOWED_WORD_COUNT_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long())
                        .withRetention(retention)
                        // A cached window is answered from the cache after its retention has passed (the caching
                        // layer does not filter expired windows); without it, expired windows leave every reader at
                        // once, and observers, whose store drops them at the same retention, agree.
                        .withCachingDisabled())
                .toStream()
                // One word's windows sit together in the word's own partition: an observer's windowed read of a word
                // is covered by the same partition's facts as a count.
                .to(windowedOutputTopic, Produced.with(WindowedOutput.keySerde(windowSize), Serdes.Long())
                        .withStreamPartitioner(WindowedOutput.BY_WORD));

        return builder.build(props);
    }
}
