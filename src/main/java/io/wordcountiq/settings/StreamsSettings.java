package io.wordcountiq.settings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka Streams, its broker and its topics. Some keys are empty by default and then derived here:
 * application.server ({@code localhost:<http.port>}), application.id (by mode), state.dir
 * ({@code <data.dir>/state/<application.id>-<http.port>}) and cluster.name (none).
 *
 * @param embeddedKafka true when kafka.bootstrap.servers is empty: this process starts its own broker
 * @param clusterName   the Kubernetes cluster this instance runs in (CLUSTER_NAME), or empty; Kafka Streams places
 *                      each standby in another cluster than its active task (client tag "cluster")
 * @param dataDir       where the embedded broker keeps its log and every instance its state, unless STATE_DIR says
 * @param kafkaClient   every Kafka client setting in force (KAFKA_<NAME> variables, resolved against the service's own)
 */
public record StreamsSettings(
        String applicationServer,
        String applicationId,
        String countingApplicationId,
        String bootstrapServers,
        boolean embeddedKafka,
        String inputTopic,
        String outputTopic,
        String windowedOutputTopic,
        Path stateDir,
        int numStandbyReplicas,
        int topicPartitions,
        short topicReplicationFactor,
        long windowSizeMs,
        long windowRetentionMs,
        long idempotencyRetentionMs,
        long commitIntervalMs,
        String clusterName,
        Path dataDir,
        Map<String, String> kafkaClient,
        int rocksdbMemoryMb) {

    /** The property that, when empty, asks for an embedded broker. */
    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    /**
     * @param environment              the process environment, for KAFKA_<NAME> client settings
     * @param embeddedBootstrapServers the address of a broker this process started, or null when
     *                                 kafka.bootstrap.servers names one
     */
    static StreamsSettings read(SettingValues v, Map<String, String> environment, String embeddedBootstrapServers,
                                int httpPort, boolean observer) {
        Properties client = KafkaClientSettings.fromEnvironment(environment);
        String applicationId = v.text("application.id", observer ? "wordcount-iq-observer" : "wordcount-iq");
        String bootstrapServers = embeddedBootstrapServers != null ? embeddedBootstrapServers : v.text(BOOTSTRAP_SERVERS, "");
        boolean embedded = embeddedBootstrapServers != null || bootstrapServers.isEmpty();
        Path dataDir = Path.of(v.text("data.dir"));
        String stateDir = v.text("state.dir", "");
        String clusterName = v.text("cluster.name", "");
        String applicationServer = HostPorts.server(v.text("application.server", "localhost:" + httpPort));
        Path resolvedStateDir = stateDir.isEmpty() ? dataDir.resolve("state").resolve(applicationId + "-" + httpPort)
                : Path.of(stateDir);
        KafkaClientSettings.refuseConflicts(client, Map.of(
                "application.id", applicationId,
                "application.server", applicationServer,
                "state.dir", resolvedStateDir.toString(),
                "processing.guarantee", "exactly_once_v2",
                "topology.optimization", "all"));
        int standbys = Integer.parseInt(v.dedicated(client, "num.standby.replicas", "NUM_STANDBY_REPLICAS"));
        long commitIntervalMs = Long.parseLong(v.dedicated(client, "commit.interval.ms", "COMMIT_INTERVAL_MS"));
        short replication = Short.parseShort(v.dedicated(client, "replication.factor", "TOPIC_REPLICATION_FACTOR",
                "topic.replication.factor"));
        if (!clusterName.isEmpty()) {
            String tag = client.getProperty("client.tag.cluster");
            if (tag != null && !tag.equals(clusterName)) {
                throw new IllegalArgumentException("KAFKA_CLIENT_TAG_CLUSTER=" + tag + " conflicts with CLUSTER_NAME="
                        + clusterName + "; set only CLUSTER_NAME");
            }
            client.setProperty("client.tag.cluster", clusterName);
            client.putIfAbsent("rack.aware.assignment.tags", "cluster");
        }
        client.setProperty("num.standby.replicas", Integer.toString(standbys));
        client.setProperty("commit.interval.ms", Long.toString(commitIntervalMs));
        client.setProperty("replication.factor", Short.toString(replication));
        Map<String, String> kafkaClient = new TreeMap<>();
        client.forEach((k, val) -> kafkaClient.put(k.toString(), val.toString()));
        return new StreamsSettings(
                applicationServer,
                applicationId,
                observer ? v.text("counting.application.id") : applicationId,
                bootstrapServers,
                embedded,
                v.text("input.topic"),
                v.text("output.topic"),
                v.text("windowed.output.topic"),
                resolvedStateDir,
                standbys,
                v.integer("topic.partitions"),
                replication,
                v.number("window.size.ms"),
                v.number("window.retention.ms"),
                v.number("idempotency.retention.ms"),
                commitIntervalMs,
                clusterName,
                dataDir,
                Collections.unmodifiableMap(kafkaClient),
                v.integer("rocksdb.memory.mb"));
    }

    /** The Kafka client settings in force, as Properties for a client's constructor. */
    public Properties kafkaClientProperties() {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        return props;
    }
}
