package io.wordcountiq.streams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The windowed output topic's record form: the key is the word's UTF-8 bytes followed by the window start (8 bytes,
 * big-endian; Kafka Streams' time-windowed serde), the value the window's count, and a word's windows all go to the
 * partition its count goes to (murmur2 of the word, as the default partitioner places the output topic's keys).
 */
public final class WindowedOutput {

    /** Partitions by the word alone, as the default partitioner places the word's count. */
    public static final StreamPartitioner<Windowed<String>, Long> BY_WORD = (topic, key, value, numPartitions) ->
            Optional.of(Set.of(partitionOf(key.key(), numPartitions)));

    private WindowedOutput() {
    }

    public static Serde<Windowed<String>> keySerde(Duration windowSize) {
        return WindowedSerdes.timeWindowedSerdeFrom(String.class, windowSize.toMillis());
    }

    /** The partition a word's count and windows are written to (and its store partition: the same hash). */
    public static int partitionOf(String word, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(word.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
