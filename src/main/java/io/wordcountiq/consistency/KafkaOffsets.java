package io.wordcountiq.consistency;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.settings.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The questions a token check asks Kafka, each asynchronous and bounded by FORWARD_TIMEOUT_MS, through one admin
 * client made on first use. A question Kafka does not answer is a 503.
 */
final class KafkaOffsets {

    private final Settings settings;
    private volatile Admin admin;
    private volatile int inputPartitions = -1;

    KafkaOffsets(Settings settings) {
        this.settings = settings;
    }

    /** The input topic's partitions (the repartition topic and the stores have as many), asked once. */
    CompletionStage<Integer> inputPartitions() {
        int known = inputPartitions;
        if (known > 0) {
            return CompletableFuture.completedFuture(known);
        }
        return admin().describeTopics(List.of(settings.inputTopic())).allTopicNames().toCompletionStage()
                .handle((topics, e) -> {
                    if (e != null || topics.get(settings.inputTopic()) == null) {
                        throw ApiError.notReady("Kafka cannot be asked for the input topic's partitions right now");
                    }
                    int count = topics.get(settings.inputTopic()).partitions().size();
                    inputPartitions = count;
                    return count;
                });
    }

    /** The counting application group's committed offsets, asked now. */
    CompletableFuture<Map<TopicPartition, Long>> groupCommitted() {
        return admin().listConsumerGroupOffsets(settings.countingApplicationId())
                .partitionsToOffsetAndMetadata().toCompletionStage().toCompletableFuture()
                .orTimeout(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS)
                .handle((offsets, e) -> {
                    if (e != null) {
                        throw ApiError.notReady("Kafka cannot be asked for the application's progress right now");
                    }
                    Map<TopicPartition, Long> out = new HashMap<>();
                    offsets.forEach((tp, om) -> {
                        if (om != null) {
                            out.put(tp, om.offset());
                        }
                    });
                    return out;
                });
    }

    /** An end offset taken once per request (kept in {@code state} under {@code name}). */
    CompletionStage<Long> endOnce(Map<String, Long> state, String name, TopicPartition tp, IsolationLevel isolation) {
        synchronized (state) {
            Long known = state.get(name);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
        }
        return listOffsets(Map.of(tp, OffsetSpec.latest()), isolation).thenApply(offsets -> {
            long offset = offsets.getOrDefault(tp, 0L);
            synchronized (state) {
                return state.computeIfAbsent(name, k -> offset);
            }
        });
    }

    CompletionStage<Map<TopicPartition, Long>> listOffsets(Map<TopicPartition, OffsetSpec> specs,
                                                          IsolationLevel isolation) {
        return admin().listOffsets(specs, new ListOffsetsOptions(isolation)).all().toCompletionStage()
                .toCompletableFuture().orTimeout(settings.forwardTimeoutMs(), TimeUnit.MILLISECONDS)
                .handle((infos, e) -> {
                    if (e != null) {
                        throw ApiError.notReady("Kafka cannot be asked for offsets right now");
                    }
                    Map<TopicPartition, Long> out = new HashMap<>();
                    infos.forEach((tp, info) -> out.put(tp, info.offset()));
                    return out;
                });
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties props = new Properties();
                    settings.kafkaClient().forEach((k, v) -> {
                        if (AdminClientConfig.configNames().contains(k)) {
                            props.put(k, v);
                        }
                    });
                    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
                    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.forwardTimeoutMs());
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, settings.forwardTimeoutMs());
                    admin = Admin.create(props);
                }
                a = admin;
            }
        }
        return a;
    }

    void close() {
        Admin a = admin;
        admin = null;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
