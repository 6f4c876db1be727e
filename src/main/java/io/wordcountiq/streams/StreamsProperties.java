package io.wordcountiq.streams;

import io.wordcountiq.settings.Settings;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** The configuration of the Kafka clients the lifecycle makes: the Streams client and the admin client for topics. */
final class StreamsProperties {

    private StreamsProperties() {
    }

    /** The Kafka Streams configuration: the client settings in force, then what the service decides itself. */
    static Properties streams(Settings settings) {
        Properties props = settings.kafkaClientProperties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.applicationServer());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // Changelog records carry the store's position, so a standby's IQv2 position advances as it applies them and
        // compares with an active's (consistency tokens, docs/consistency.md).
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        props.put(BoundedRocksDbMemory.MEMORY_BYTES, Long.toString(settings.rocksdbMemoryMb() * 1024L * 1024L));
        // Changelog and repartition topics get the same durability as the topics created here.
        TopicInitializer.minInSyncReplicas(settings.topicReplicationFactor()).ifPresent(min ->
                props.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), min));
        return props;
    }

    /** The admin client's configuration: the client settings an admin client knows, and the broker. */
    static Properties admin(Settings settings) {
        Properties adminProps = new Properties();
        settings.kafkaClient().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                adminProps.put(k, v);
            }
        });
        adminProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return adminProps;
    }
}
