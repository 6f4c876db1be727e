package io.wordcountiq.streams;

import io.wordcountiq.settings.KafkaClientSettings;
import io.wordcountiq.settings.Settings;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the KafkaStreams instance: creates topics, builds the topology for the mode, starts and closes it. */
public class StreamsLifecycle extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

    private final Settings settings;
    private final Properties clientProps;
    private final HostInfo self;
    private volatile KafkaStreams streams;
    private volatile RuntimeException startFailure;

    public StreamsLifecycle(Settings settings, Properties clientProps) {
        this.settings = settings;
        this.clientProps = clientProps;
        this.self = HostInfo.buildFromEndpoint(settings.applicationServer());
    }

    public Properties streamsConfig() {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.applicationServer());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.numStandbyReplicas());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.topicReplicationFactor());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    public Topology topology(Properties props) {
        return switch (settings.mode()) {
            case WORDCOUNT -> WordCountTopology.build(settings.inputTopic(), settings.outputTopic(),
                    Duration.ofMillis(settings.windowSizeMs()), Duration.ofMillis(settings.windowRetentionMs()), props);
            case OBSERVER -> ObserverTopology.build(settings.outputTopic(), props);
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
            adminProps.putAll(clientProps);
            adminProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            TopicInitializer.ensureTopics(adminProps, settings.inputTopic(), settings.outputTopic(),
                    settings.topicPartitions(), settings.topicReplicationFactor());

            Properties props = streamsConfig();
            LOG.info("Starting Kafka Streams {} as {} ({} mode), client settings {}", settings.applicationId(),
                    settings.applicationServer(), settings.mode(), KafkaClientSettings.redacted(clientProps));
            KafkaStreams kafkaStreams = new KafkaStreams(topology(props), props);
            kafkaStreams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
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

    @Override
    protected void doStop() {
        KafkaStreams kafkaStreams;
        synchronized (this) {
            kafkaStreams = streams;
        }
        if (kafkaStreams != null) {
            LOG.info("Closing Kafka Streams");
            kafkaStreams.close(Duration.ofSeconds(30));
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public boolean isRunning() {
        KafkaStreams s = streams;
        return s != null && s.state() == KafkaStreams.State.RUNNING;
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

    public Settings settings() {
        return settings;
    }
}
