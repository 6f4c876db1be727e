package io.wordcountiq.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Typed view of the service configuration. Every default lives in {@code application.properties} and nowhere else;
 * a key missing from the lookup is a packaging error. Values come from Camel's properties component, so each key
 * can be overridden by its environment variable (http.port from HTTP_PORT) or a system property.
 *
 * <p>Some keys are empty by default and then derived here: application.server ({@code localhost:<http.port>}),
 * application.id (by mode), state.dir ({@code <data.dir>/state/<application.id>-<http.port>}), forward.secret
 * (required with an external broker; random for the embedded one) and cluster.name (none).
 *
 * @param embeddedKafka true when kafka.bootstrap.servers is empty: this process starts its own broker
 * @param clusterName   the Kubernetes cluster this instance runs in (CLUSTER_NAME), or empty; Kafka Streams places
 *                      each standby in another cluster than its active task (client tag "cluster")
 * @param dataDir       where the embedded broker keeps its log and every instance its state, unless STATE_DIR says
 * @param kafkaClient   every Kafka client setting in force (KAFKA_<NAME> variables, resolved against the service's own)
 * @param uiObservers   observers the /ui/ page shows besides the instances of the consumer group (UI_OBSERVERS,
 *                      comma-separated host:port, as FORWARD_SCHEME reaches them); empty for none
 */
public record Settings(
        int httpPort,
        int managementPort,
        String applicationServer,
        String applicationId,
        String countingApplicationId,
        AppMode mode,
        Path routesDir,
        long routesReloadIntervalMs,
        long requestTimeoutMs,
        int maxKeyLength,
        int maxBodyBytes,
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
        String forwardScheme,
        int forwardConnectTimeoutMs,
        int forwardTimeoutMs,
        String forwardSecret,
        String forwardSecretPrevious,
        String forwardTruststore,
        String forwardTruststorePassword,
        String ingestToken,
        String clusterName,
        Path dataDir,
        Map<String, String> kafkaClient,
        int httpWorkerThreads,
        String httpHost,
        int idleTimeoutMs,
        long headerTimeoutMs,
        long writeTimeoutMs,
        long bodyTimeoutMs,
        long uploadBufferBytes,
        int ingestConcurrency,
        long ingestTimeoutMs,
        int wholeStoreConcurrency,
        int wholeStoreThreads,
        int admitKeyLookups,
        int admitTokenWaits,
        int admitPages,
        int admitUi,
        int admitIngest,
        Long defaultMaxLag,
        long peerProbeIntervalMs,
        int pageMaxLimit,
        int rocksdbMemoryMb,
        boolean accessLog,
        java.util.List<String> uiObservers) {

    public enum AppMode { WORDCOUNT, OBSERVER }

    /** The property that, when empty, asks for an embedded broker. */
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    /** DATA_DIR, needed before the settings are complete: the embedded broker keeps its log there. */
    public static Path dataDir(Function<String, Optional<String>> lookup) {
        return Path.of(new Values(lookup, packagedDefaults()).text("data.dir"));
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
        Properties defaults = packagedDefaults();
        Values v = new Values(lookup, defaults);
        Properties client = KafkaClientSettings.fromEnvironment(environment);
        int httpPort = v.integer("http.port");
        AppMode mode = AppMode.valueOf(v.text("app.mode").toUpperCase(Locale.ROOT));
        String applicationId = v.text("application.id", mode == AppMode.OBSERVER ? "wordcount-iq-observer" : "wordcount-iq");
        String scheme = v.text("forward.scheme").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("FORWARD_SCHEME must be http or https, was " + scheme);
        }
        String bootstrapServers = embeddedBootstrapServers != null ? embeddedBootstrapServers : v.text(BOOTSTRAP_SERVERS, "");
        boolean embedded = embeddedBootstrapServers != null || bootstrapServers.isEmpty();
        Path dataDir = Path.of(v.text("data.dir"));
        String stateDir = v.text("state.dir", "");
        String clusterName = v.text("cluster.name", "");
        String applicationServer = validServer(v.text("application.server", "localhost:" + httpPort));
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
        Map<String, String> kafkaClient = new java.util.TreeMap<>();
        client.forEach((k, val) -> kafkaClient.put(k.toString(), val.toString()));
        return new Settings(
                httpPort,
                v.integer("management.port"),
                applicationServer,
                applicationId,
                mode == AppMode.OBSERVER ? v.text("counting.application.id") : applicationId,
                mode,
                Path.of(v.text("routes.dir")),
                v.number("routes.reload.interval.ms"),
                v.number("request.timeout.ms"),
                v.integer("max.key.length"),
                v.integer("max.body.bytes"),
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
                scheme,
                v.integer("forward.connect.timeout.ms"),
                v.integer("forward.timeout.ms"),
                forwardSecret(v.text("forward.secret", ""), embedded),
                v.text("forward.secret.previous", ""),
                v.text("forward.truststore", ""),
                v.text("forward.truststore.password", ""),
                v.text("ingest.token", ""),
                clusterName,
                dataDir,
                java.util.Collections.unmodifiableMap(kafkaClient),
                v.integer("http.worker.threads"),
                v.text("http.host"),
                v.integer("idle.timeout.ms"),
                v.number("header.timeout.ms"),
                v.number("write.timeout.ms"),
                v.number("body.timeout.ms"),
                v.number("upload.buffer.bytes"),
                v.integer("ingest.concurrency"),
                v.number("ingest.timeout.ms"),
                v.integer("whole.store.concurrency"),
                v.integer("whole.store.threads"),
                v.integer("admit.key.lookups"),
                v.integer("admit.token.waits"),
                v.integer("admit.pages"),
                v.integer("admit.ui"),
                v.integer("admit.ingest"),
                optionalNumber(v.text("default.max.lag", ""), "DEFAULT_MAX_LAG"),
                v.number("peer.probe.interval.ms"),
                v.integer("page.max.limit"),
                v.integer("rocksdb.memory.mb"),
                v.flag("access.log"),
                hostPorts("UI_OBSERVERS", v.text("ui.observers", "")));
    }

    /** The packaged defaults with some keys replaced: for tests and tools that run without Camel. */
    public static Settings withDefaults(Map<String, String> overrides) {
        return withDefaults(overrides, Map.of());
    }

    /** The same, with an environment that holds KAFKA_<NAME> client settings. */
    public static Settings withDefaults(Map<String, String> overrides, Map<String, String> environment) {
        Properties defaults = packagedDefaults();
        return from(key -> Optional.ofNullable(overrides.containsKey(key) ? overrides.get(key) : defaults.getProperty(key)),
                environment, null);
    }

    /** The Kafka client settings in force, as Properties for a client's constructor. */
    public Properties kafkaClientProperties() {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        return props;
    }

    static Properties packagedDefaults() {
        Properties props = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is not on the class path");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    /**
     * The secret that marks forwarded requests. With an external broker every instance must share one from a Secret;
     * a secret derived from public configuration could be computed by anyone, so there is no default. The embedded
     * broker serves one process only: it gets a random secret of its own.
     */
    private static String forwardSecret(String configured, boolean embedded) {
        if (!configured.isEmpty()) {
            if (configured.length() < 16) {
                throw new IllegalArgumentException("FORWARD_SECRET must be at least 16 characters (use 32 random bytes, "
                        + "e.g. openssl rand -base64 32)");
            }
            return configured;
        }
        if (!embedded) {
            throw new IllegalArgumentException("FORWARD_SECRET is not set: with KAFKA_BOOTSTRAP_SERVERS every instance "
                    + "must share a secret for forwarded requests (from a Secret; e.g. openssl rand -base64 32)");
        }
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getEncoder().encodeToString(random);
    }

    /** A comma-separated list of host:port (blanks around entries ignored, duplicates dropped). */
    private static java.util.List<String> hostPorts(String variable, String list) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String entry : list.split(",")) {
            String hostPort = entry.trim();
            if (hostPort.isEmpty()) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            boolean valid = colon > 0 && colon < hostPort.length() - 1
                    && hostPort.substring(colon + 1).chars().allMatch(Character::isDigit)
                    && hostPort.length() - colon - 1 <= 5 && Integer.parseInt(hostPort.substring(colon + 1)) <= 65535
                    && hostPort.substring(0, colon).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-');
            if (!valid) {
                throw new IllegalArgumentException(variable + " must be a comma-separated list of host:port, had '"
                        + hostPort + "'");
            }
            out.add(hostPort);
        }
        return java.util.List.copyOf(out);
    }

    /** A whole number, or null when empty. */
    private static Long optionalNumber(String value, String variable) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a number of records, was " + value);
        }
    }

    private static String validServer(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("APPLICATION_SERVER must be host:port, was " + hostPort);
        }
        Integer.parseInt(hostPort.substring(colon + 1));
        return hostPort;
    }

    /**
     * Reads keys whose default is in application.properties; a key set to an empty value gets that default too.
     * Numbers are parsed one way.
     */
    private record Values(Function<String, Optional<String>> lookup, Properties defaults) {

        String text(String key) {
            String value = lookup.apply(key).map(String::trim).orElse("");
            if (value.isEmpty()) {
                value = defaults.getProperty(key, "").trim();
            }
            if (value.isEmpty()) {
                throw new IllegalStateException("setting " + key + " has no value and no default in application.properties");
            }
            return value;
        }

        /** A key whose packaged default is empty: then the derived value applies. */
        String text(String key, String derived) {
            String value = lookup.apply(key).map(String::trim).orElse("");
            return value.isEmpty() ? derived : value;
        }

        /** The dedicated variable's value against a KAFKA_ client setting (see KafkaClientSettings#dedicated). */
        String dedicated(Properties client, String setting, String variable) {
            return dedicated(client, setting, variable, variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
        }

        String dedicated(Properties client, String setting, String variable, String key) {
            String value = text(key);
            boolean explicit = !value.equals(defaults.getProperty(key, "").trim());
            return KafkaClientSettings.dedicated(client, setting, variable, value, explicit);
        }

        int integer(String key) {
            long v = number(key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " is out of range, was " + v);
            }
            return (int) v;
        }

        boolean flag(String key) {
            String v = text(key).toLowerCase(java.util.Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(key + " must be true or false, was " + v);
            }
            return v.equals("true");
        }

        long number(String key) {
            String v = text(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, was " + v);
            }
        }
    }
}
