package io.wordcountiq.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One real KRaft broker process and the wordcount-iq JVMs an integration test starts against it, in one scratch
 * folder. Closing it stops every process it started.
 */
public final class LocalCluster implements AutoCloseable {

    /** Settings every word-count instance of the ITs shares: standbys, and a session timeout tests can wait for. */
    public static final Map<String, String> WORD_COUNT = Map.of(
            "NUM_STANDBY_REPLICAS", "1",
            "TOPIC_PARTITIONS", "6",
            "KAFKA_SESSION_TIMEOUT_MS", "10000",
            "KAFKA_HEARTBEAT_INTERVAL_MS", "1000");

    /** The secret every instance of a test cluster shares (never a real one). */
    public static final String FORWARD_SECRET = "test-forward-secret-" + java.util.UUID.randomUUID();

    private final Path work;
    private final KafkaBrokerProcess broker;
    private final List<InstanceProcess> started = new ArrayList<>();

    private LocalCluster(Path work, KafkaBrokerProcess broker) {
        this.work = work;
        this.broker = broker;
    }

    public static LocalCluster start(String name) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(name);
        return new LocalCluster(work, KafkaBrokerProcess.start(work.resolve("broker")));
    }

    public KafkaBrokerProcess broker() {
        return broker;
    }

    public Path work() {
        return work;
    }

    /**
     * Starts an instance connected to the broker. {@code env} comes on top of the broker address; pass
     * {@link #WORD_COUNT} (or a copy with changes) for the ITs' usual word-count settings.
     */
    public InstanceProcess start(String name, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        all.putIfAbsent("FORWARD_SECRET", FORWARD_SECRET);
        InstanceProcess instance = new InstanceProcess(name, work.resolve(name), all);
        try {
            instance.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        started.add(instance);
        return instance;
    }

    /** {@link #WORD_COUNT} with some settings replaced or added. */
    public static Map<String, String> wordCount(String... keyValues) {
        Map<String, String> env = new HashMap<>(WORD_COUNT);
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /** Starts instances wc-0 … wc-(count-1) with the same settings, and waits until every one is ready. */
    public List<InstanceProcess> startReady(int count, Map<String, String> env) {
        List<InstanceProcess> instances = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            instances.add(start("wc-" + i, env));
        }
        awaitReady(instances);
        return instances;
    }

    public static void awaitReady(List<InstanceProcess> instances) {
        instances.forEach(i -> i.awaitReady(Duration.ofSeconds(120)));
    }

    @Override
    public void close() {
        started.forEach(InstanceProcess::close);
        broker.close();
    }
}
