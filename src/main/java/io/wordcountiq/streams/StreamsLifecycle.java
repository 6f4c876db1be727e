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
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
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
        return StreamsProperties.streams(settings);
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
            TopicInitializer.ensureTopics(StreamsProperties.admin(settings), settings.inputTopic(), settings.outputTopic(),
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

    /** Whether this instance can serve queries ({@link StreamsReadiness}). */
    public boolean isReady() {
        KafkaStreams s = streams;
        return StreamsReadiness.ready(s == null ? null : s.state(), reachedRunning, stopping,
                settings.mode() == Settings.AppMode.OBSERVER);
    }

    public boolean isStopping() {
        return stopping;
    }

    public String state() {
        KafkaStreams s = streams;
        return StreamsReadiness.name(s == null ? null : s.state(), startFailure != null);
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
