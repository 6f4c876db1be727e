package io.wordcountiq.streams;

import io.wordcountiq.settings.KafkaClientSettings;
import io.wordcountiq.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the KafkaStreams instance: creates topics, builds the topology for the mode, starts it, and closes it last
 * on a graceful stop, leaving the consumer group at once so its tasks move without waiting for a session timeout.
 */
public class StreamsLifecycle extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final HostInfo self;
    private volatile KafkaStreams streams;
    /** An observer's global consumer, which says how far its global stores have applied the output topics. */
    private final GlobalPositions globalPositions = new GlobalPositions();
    private volatile RuntimeException startFailure;
    private final java.util.List<java.util.function.Consumer<KafkaStreams>> whenRunning =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean reachedRunning;
    private volatile boolean stopping;
    /** Counts Kafka Streams' state changes: metadata read under one value has not changed since (a rebalance is one). */
    private final java.util.concurrent.atomic.AtomicLong stateChanges = new java.util.concurrent.atomic.AtomicLong();

    public StreamsLifecycle(Settings settings) {
        this.settings = settings;
        this.self = HostInfo.buildFromEndpoint(settings.applicationServer());
    }

    /** The Kafka Streams configuration: the client settings in force, then what the service decides itself. */
    public Properties streamsConfig() {
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
                props.putIfAbsent(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), min));
        return props;
    }

    public Topology topology(Properties props) {
        return switch (settings.mode()) {
            case WORDCOUNT -> WordCountTopology.build(settings.inputTopic(), settings.outputTopic(),
                    settings.windowedOutputTopic(), Duration.ofMillis(settings.windowSizeMs()),
                    Duration.ofMillis(settings.windowRetentionMs()), settings.maxKeyLength(),
                    Duration.ofMillis(settings.idempotencyRetentionMs()), props);
            case OBSERVER -> ObserverTopology.build(settings.outputTopic(), settings.windowedOutputTopic(),
                    Duration.ofMillis(settings.windowSizeMs()), Duration.ofMillis(settings.windowRetentionMs()), props);
        };
    }

    @Override
    protected void doStart() {
        // Topic checks and start() (which blocks while global stores restore) run off the start-up thread, so the
        // HTTP routes come up at once and answer 503 until the state can be queried.
        Thread starter = new Thread(this::startStreams, "streams-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startStreams() {
        try {
            Properties adminProps = new Properties();
            settings.kafkaClient().forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k)) {
                    adminProps.put(k, v);
                }
            });
            adminProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            TopicInitializer.ensureTopics(adminProps, settings.inputTopic(), settings.outputTopic(),
                    settings.windowedOutputTopic(), settings.windowSizeMs() + settings.windowRetentionMs(),
                    settings.topicPartitions(), settings.topicReplicationFactor());

            Properties props = streamsConfig();
            LOG.info("Starting Kafka Streams {} as {} ({} mode{}), state in {}, client settings {}",
                    settings.applicationId(), settings.applicationServer(), settings.mode(),
                    settings.clusterName().isEmpty() ? "" : ", cluster " + settings.clusterName(),
                    settings.stateDir().toAbsolutePath(), KafkaClientSettings.redacted(settings.kafkaClientProperties()));
            KafkaStreams kafkaStreams = settings.mode() == Settings.AppMode.OBSERVER
                    ? new KafkaStreams(topology(props), props, globalPositions)
                    : new KafkaStreams(topology(props), props);
            kafkaStreams.setStateListener((now, before) -> {
                stateChanges.incrementAndGet();
                if (now == KafkaStreams.State.RUNNING && !reachedRunning) {
                    reachedRunning = true;
                    whenRunning.forEach(listener -> listener.accept(kafkaStreams));
                }
                LOG.info("Kafka Streams {} -> {}", before, now);
            });
            kafkaStreams.setUncaughtExceptionHandler(e -> {
                LOG.error("Stream thread failed, replacing it: {}", e.toString());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            synchronized (this) {
                if (isStoppingOrStopped()) {
                    return;
                }
                streams = kafkaStreams;
            }
            kafkaStreams.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            startFailure = e;
            LOG.error("Kafka Streams failed to start: {}", e.toString());
        }
    }

    /** Called once, with the Streams client, when it first reaches RUNNING (its threads and tasks exist then). */
    public void whenFirstRunning(java.util.function.Consumer<KafkaStreams> listener) {
        whenRunning.add(listener);
    }

    /** The service is going down: readiness turns false at once, before anything stops. */
    public void markStopping() {
        stopping = true;
    }

    @Override
    protected void doStop() {
        stopping = true;
        KafkaStreams kafkaStreams;
        synchronized (this) {
            kafkaStreams = streams;
        }
        if (kafkaStreams != null) {
            LOG.info("Closing Kafka Streams and leaving the group");
            kafkaStreams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        }
    }

    /**
     * Deletes this application's Kafka Streams state (the folder Kafka Streams keeps under state.dir), for a start
     * against a broker that does not hold the data the state was built from.
     */
    public static void deleteLocalState(Settings settings) {
        Path appState = settings.stateDir().resolve(settings.applicationId());
        if (!Files.exists(appState)) {
            return;
        }
        LOG.info("Deleting state {} kept from an earlier broker", appState.toAbsolutePath());
        try (Stream<Path> files = Files.walk(appState)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A number that changes whenever Kafka Streams changes state, so metadata read under one value is still current;
     * -1 while it is not RUNNING, when metadata must be read afresh each time.
     */
    public long metadataGeneration() {
        long generation = stateChanges.get();
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING ? generation : -1;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Whether this instance can serve queries. A word-count instance is ready once it has reached RUNNING and stays
     * ready while RUNNING or REBALANCING, so surviving instances keep serving through a rebalance. An observer's
     * global table is complete only in RUNNING. Never ready before the first assignment, in ERROR, or while stopping.
     */
    public boolean isReady() {
        KafkaStreams s = streams;
        if (s == null || stopping || !reachedRunning) {
            return false;
        }
        KafkaStreams.State state = s.state();
        return state == KafkaStreams.State.RUNNING
                || (state == KafkaStreams.State.REBALANCING && settings.mode() == Settings.AppMode.WORDCOUNT);
    }

    public boolean isStopping() {
        return stopping;
    }

    public String state() {
        KafkaStreams s = streams;
        if (s == null) {
            return startFailure != null ? "ERROR" : "NOT_STARTED";
        }
        return s.state().name();
    }

    public HostInfo self() {
        return self;
    }

    /** How far an observer's global stores have applied each output partition (nothing on word-count instances). */
    public GlobalPositions globalPositions() {
        return globalPositions;
    }

    public Settings settings() {
        return settings;
    }
}
