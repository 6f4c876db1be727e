package io.wordcountiq.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a topic holds, as a read_committed consumer sees it: only lines of committed transactions. */
public final class InputTopic {

    private InputTopic() {
    }

    /** Writes lines with the given timestamp (a clock the API does not offer: stream time moved on), acknowledged. */
    public static void writeAt(String bootstrapServers, String topic, List<String> lines, long timestamp) {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String line : lines) {
                sent.add(producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, timestamp, null, line)));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("could not write " + lines.size() + " lines to " + topic, e);
        }
    }

    /** Every committed record's value, read from the beginning to the end offsets taken now. */
    public static List<String> readCommitted(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 30 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
