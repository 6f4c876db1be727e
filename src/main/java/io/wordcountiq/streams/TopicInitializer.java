package io.wordcountiq.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the input and both output topics before any consumer subscribes, so auto-creation never picks the partitions. */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    private TopicInitializer() {
    }

    /**
     * With more than one replica, a write (acks=all) needs all but one of them in sync: losing one broker loses no
     * acknowledged record. None with a single replica.
     */
    public static java.util.Optional<String> minInSyncReplicas(short replicationFactor) {
        return replicationFactor > 1 ? java.util.Optional.of(Integer.toString(replicationFactor - 1)) : java.util.Optional.empty();
    }

    /**
     * @param windowedOutputTopic compacted, and its records deleted once older than {@code windowedRetentionMs} (a
     *                            window's size and WINDOW_RETENTION_MS): an expired window is no answer anywhere
     */
    public static void ensureTopics(Properties adminProps, String inputTopic, String outputTopic,
                                    String windowedOutputTopic, long windowedRetentionMs, int partitions,
                                    short replicationFactor) throws InterruptedException {
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Map<String, String> durable = minInSyncReplicas(replicationFactor)
                    .map(min -> Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, min)).orElse(Map.of());
            if (!existing.contains(inputTopic)) {
                missing.add(new NewTopic(inputTopic, partitions, replicationFactor).configs(durable));
            }
            if (!existing.contains(outputTopic)) {
                Map<String, String> configs = new java.util.HashMap<>(durable);
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                missing.add(new NewTopic(outputTopic, partitions, replicationFactor).configs(configs));
            }
            if (!existing.contains(windowedOutputTopic)) {
                Map<String, String> configs = new java.util.HashMap<>(durable);
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
                configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(windowedRetentionMs));
                missing.add(new NewTopic(windowedOutputTopic, partitions, replicationFactor).configs(configs));
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {} with {} partitions", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot reach Kafka to check topics", e);
        }
    }
}
