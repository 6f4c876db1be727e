package io.wordcountiq.streams;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * How far an observer's global stores have applied each output-topic partition: the global consumer's position
 * (every committed record below it is in the store; transaction markers included, which no record names) and its lag
 * behind the partition's last stable offset.
 *
 * <p>Kafka Streams does not expose either for a global store, so the global consumer is this supplier's own: before
 * each poll, every record of the previous poll has been applied to the stores (the global thread applies a poll's
 * records before it polls again), so the positions taken after the previous poll are published then. They are read
 * on the global thread, as the consumer requires, and answered to any thread from a concurrent map.
 */
public final class GlobalPositions extends DefaultKafkaClientSupplier {

    /** A partition's applied position and lag (-1: not known yet). */
    public record Applied(long position, long lag) {
    }

    private final Map<TopicPartition, Applied> applied = new ConcurrentHashMap<>();

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new PositionConsumer(config);
    }

    /** What the stores hold of this output partition, or null before anything of it was polled. */
    public Applied of(String topic, int partition) {
        return applied.get(new TopicPartition(topic, partition));
    }

    /** The number of partitions of a topic the global consumer reads, or 0 while none is known. */
    public int partitionCount(String topic) {
        int count = 0;
        for (TopicPartition tp : applied.keySet()) {
            if (tp.topic().equals(topic)) {
                count = Math.max(count, tp.partition() + 1);
            }
        }
        return count;
    }

    private final class PositionConsumer extends KafkaConsumer<byte[], byte[]> {
        private Map<TopicPartition, Applied> pending = Map.of();

        PositionConsumer(Map<String, Object> config) {
            super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            applied.putAll(pending);
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            Map<TopicPartition, Applied> next = new java.util.HashMap<>();
            for (TopicPartition tp : assignment()) {
                try {
                    OptionalLong lag = currentLag(tp);
                    next.put(tp, new Applied(position(tp, Duration.ZERO), lag.isPresent() ? lag.getAsLong() : -1));
                } catch (KafkaException e) {
                    // No position yet (being reset): nothing to publish for this partition.
                }
            }
            pending = next;
            return records;
        }
    }
}
