package io.wordcountiq.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker in this JVM, started when no KAFKA_BOOTSTRAP_SERVERS is configured. Its log lives
 * in a stable folder (DATA_DIR/kafka): the first start formats it with a new cluster id, every later start reuses
 * the log and the id, so counts survive a restart. Deleting the folder starts afresh.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final boolean fresh;
    private final String clusterId;

    private EmbeddedKafka(KafkaClusterTestKit cluster, boolean fresh, String clusterId) {
        this.cluster = cluster;
        this.fresh = fresh;
        this.clusterId = clusterId;
    }

    public static EmbeddedKafka start(Path dir) throws Exception {
        Optional<String> existing = formattedClusterId(dir);
        String clusterId = existing.orElseGet(() -> Uuid.randomUuid().toString());
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dir.toAbsolutePath())
                .setClusterId(clusterId)
                .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // The test kit deletes its folders on close by default; this broker's log is the data.
                .setDeleteOnClose(false)
                .build();
        if (existing.isEmpty()) {
            cluster.format();
        }
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster, existing.isEmpty(), clusterId);
    }

    /** The cluster id in a formatted log folder's meta.properties, if the folder holds one. */
    static Optional<String> formattedClusterId(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            Optional<Path> meta = files.filter(p -> p.getFileName().toString().equals("meta.properties")).findFirst();
            if (meta.isEmpty()) {
                return Optional.empty();
            }
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(meta.get())) {
                props.load(in);
            }
            return Optional.ofNullable(props.getProperty("cluster.id"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded broker's folder " + dir, e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** True when this start formatted a new log: state kept from an earlier broker does not belong to it. */
    public boolean fresh() {
        return fresh;
    }

    public String clusterId() {
        return clusterId;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
