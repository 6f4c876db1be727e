package io.wordcountiq.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Typed view of the service configuration, the one type the rest of the code is given. Every default lives in
 * {@code application.properties} and nowhere else; a key missing from the lookup is a packaging error. Values come
 * from Camel's properties component, so each key can be overridden by its environment variable (http.port from
 * HTTP_PORT) or a system property.
 *
 * <p>Each concern reads its own keys: {@link ServerSettings}, {@link RequestSettings}, {@link StreamsSettings},
 * {@link PeerSettings} and {@link Secrets}; the accessors below reach into them by the names the code calls.
 */
public record Settings(
        AppMode mode,
        ServerSettings server,
        RequestSettings requests,
        StreamsSettings streams,
        PeerSettings peers,
        Secrets secrets) {

    public enum AppMode { WORDCOUNT, OBSERVER }

    /** The property that, when empty, asks for an embedded broker. */
    public static final String BOOTSTRAP_SERVERS = StreamsSettings.BOOTSTRAP_SERVERS;

    /** DATA_DIR, needed before the settings are complete: the embedded broker keeps its log there. */
    public static Path dataDir(Function<String, Optional<String>> lookup) {
        return Path.of(SettingValues.over(lookup).text("data.dir"));
    }

    /** True when no broker is configured, so the caller must start one and pass it to {@link #from(Function, String)}. */
    public static boolean wantsEmbeddedKafka(Function<String, Optional<String>> lookup) {
        return lookup.apply(BOOTSTRAP_SERVERS).map(String::isBlank).orElse(true);
    }

    public static Settings from(Function<String, Optional<String>> lookup) {
        return from(lookup, Map.of(), null);
    }

    /**
     * @param environment              the process environment, for KAFKA_<NAME> client settings
     * @param embeddedBootstrapServers the address of a broker this process started, or null when
     *                                 kafka.bootstrap.servers names one
     */
    public static Settings from(Function<String, Optional<String>> lookup, Map<String, String> environment,
                                String embeddedBootstrapServers) {
        SettingValues v = SettingValues.over(lookup);
        ServerSettings server = ServerSettings.read(v);
        AppMode mode = AppMode.valueOf(v.text("app.mode").toUpperCase(Locale.ROOT));
        PeerSettings peers = PeerSettings.read(v);
        StreamsSettings streams = StreamsSettings.read(v, environment, embeddedBootstrapServers, server.httpPort(),
                mode == AppMode.OBSERVER);
        return new Settings(mode, server, RequestSettings.read(v), streams, peers,
                Secrets.read(v, streams.embeddedKafka()));
    }

    /** The packaged defaults with some keys replaced: for tests and tools that run without Camel. */
    public static Settings withDefaults(Map<String, String> overrides) {
        return withDefaults(overrides, Map.of());
    }

    /** The same, with an environment that holds KAFKA_<NAME> client settings. */
    public static Settings withDefaults(Map<String, String> overrides, Map<String, String> environment) {
        Properties defaults = SettingValues.packagedDefaults();
        return from(key -> Optional.ofNullable(overrides.containsKey(key) ? overrides.get(key) : defaults.getProperty(key)),
                environment, null);
    }

    /** The Kafka client settings in force, as Properties for a client's constructor. */
    public Properties kafkaClientProperties() {
        return streams.kafkaClientProperties();
    }

    // The accessors the code calls, each reaching into its concern.
    public int httpPort() { return server.httpPort(); }
    public int managementPort() { return server.managementPort(); }
    public String httpHost() { return server.httpHost(); }
    public int httpWorkerThreads() { return server.httpWorkerThreads(); }
    public int idleTimeoutMs() { return server.idleTimeoutMs(); }
    public long headerTimeoutMs() { return server.headerTimeoutMs(); }
    public long writeTimeoutMs() { return server.writeTimeoutMs(); }
    public long bodyTimeoutMs() { return server.bodyTimeoutMs(); }
    public long uploadBufferBytes() { return server.uploadBufferBytes(); }
    public boolean accessLog() { return server.accessLog(); }
    public Path routesDir() { return server.routesDir(); }
    public long routesReloadIntervalMs() { return server.routesReloadIntervalMs(); }
    public long requestTimeoutMs() { return requests.requestTimeoutMs(); }
    public int maxKeyLength() { return requests.maxKeyLength(); }
    public int maxBodyBytes() { return requests.maxBodyBytes(); }
    public int pageMaxLimit() { return requests.pageMaxLimit(); }
    public Long defaultMaxLag() { return requests.defaultMaxLag(); }
    public int ingestConcurrency() { return requests.ingestConcurrency(); }
    public long ingestTimeoutMs() { return requests.ingestTimeoutMs(); }
    public int wholeStoreConcurrency() { return requests.wholeStoreConcurrency(); }
    public int wholeStoreThreads() { return requests.wholeStoreThreads(); }
    public int admitKeyLookups() { return requests.admitKeyLookups(); }
    public int admitTokenWaits() { return requests.admitTokenWaits(); }
    public int admitPages() { return requests.admitPages(); }
    public int admitUi() { return requests.admitUi(); }
    public int admitIngest() { return requests.admitIngest(); }
    public String applicationServer() { return streams.applicationServer(); }
    public String applicationId() { return streams.applicationId(); }
    public String countingApplicationId() { return streams.countingApplicationId(); }
    public String bootstrapServers() { return streams.bootstrapServers(); }
    public boolean embeddedKafka() { return streams.embeddedKafka(); }
    public String inputTopic() { return streams.inputTopic(); }
    public String outputTopic() { return streams.outputTopic(); }
    public String windowedOutputTopic() { return streams.windowedOutputTopic(); }
    public Path stateDir() { return streams.stateDir(); }
    public int numStandbyReplicas() { return streams.numStandbyReplicas(); }
    public int topicPartitions() { return streams.topicPartitions(); }
    public short topicReplicationFactor() { return streams.topicReplicationFactor(); }
    public long windowSizeMs() { return streams.windowSizeMs(); }
    public long windowRetentionMs() { return streams.windowRetentionMs(); }
    public long idempotencyRetentionMs() { return streams.idempotencyRetentionMs(); }
    public long commitIntervalMs() { return streams.commitIntervalMs(); }
    public String clusterName() { return streams.clusterName(); }
    public Path dataDir() { return streams.dataDir(); }
    public Map<String, String> kafkaClient() { return streams.kafkaClient(); }
    public int rocksdbMemoryMb() { return streams.rocksdbMemoryMb(); }
    public String forwardScheme() { return peers.forwardScheme(); }
    public int forwardConnectTimeoutMs() { return peers.forwardConnectTimeoutMs(); }
    public int forwardTimeoutMs() { return peers.forwardTimeoutMs(); }
    public String forwardTruststore() { return peers.forwardTruststore(); }
    public String forwardTruststorePassword() { return peers.forwardTruststorePassword(); }
    public long peerProbeIntervalMs() { return peers.peerProbeIntervalMs(); }
    public List<String> uiObservers() { return peers.uiObservers(); }
    public String forwardSecret() { return secrets.forwardSecret(); }
    public String forwardSecretPrevious() { return secrets.forwardSecretPrevious(); }
    public String ingestToken() { return secrets.ingestToken(); }
}
