package io.wordcountiq.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed view of the service configuration. Values come from Camel's properties component, so each key can be
 * overridden by its environment variable (http.port from HTTP_PORT) or a system property.
 */
public record Settings(
        int httpPort,
        int managementPort,
        String applicationServer,
        String applicationId,
        AppMode mode,
        Path routesDir,
        long requestTimeoutMs,
        int maxKeyLength,
        int maxBodyBytes,
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        Path stateDir,
        int numStandbyReplicas,
        int topicPartitions,
        short topicReplicationFactor,
        long windowSizeMs,
        long windowRetentionMs,
        long commitIntervalMs,
        String forwardScheme,
        int forwardConnectTimeoutMs,
        int forwardTimeoutMs,
        String forwardSecret) {

    public enum AppMode { WORDCOUNT, OBSERVER }

    public static Settings from(Function<String, Optional<String>> lookup) {
        Function<String, String> get = key -> lookup.apply(key).map(String::trim).orElse("");
        int httpPort = intOf(get, "http.port", 8080);
        AppMode mode = AppMode.valueOf(orDefault(get.apply("app.mode"), "wordcount").toUpperCase(Locale.ROOT));
        String applicationId = orDefault(get.apply("application.id"),
                mode == AppMode.OBSERVER ? "wordcount-iq-observer" : "wordcount-iq");
        String scheme = orDefault(get.apply("forward.scheme"), "http").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("FORWARD_SCHEME must be http or https, was " + scheme);
        }
        String stateDir = get.apply("state.dir");
        return new Settings(
                httpPort,
                intOf(get, "management.port", 9876),
                validServer(orDefault(get.apply("application.server"), "localhost:" + httpPort)),
                applicationId,
                mode,
                Path.of(orDefault(get.apply("routes.dir"), "routes")),
                longOf(get, "request.timeout.ms", 5000),
                intOf(get, "max.key.length", 256),
                intOf(get, "max.body.bytes", 1 << 20),
                get.apply("kafka.bootstrap.servers"),
                orDefault(get.apply("input.topic"), "text-lines-topic"),
                orDefault(get.apply("output.topic"), "word-count-output"),
                stateDir.isEmpty() ? defaultStateDir(applicationId, httpPort, get.apply("kafka.bootstrap.servers").isEmpty())
                        : Path.of(stateDir),
                intOf(get, "num.standby.replicas", 0),
                intOf(get, "topic.partitions", 4),
                (short) intOf(get, "topic.replication.factor", 1),
                longOf(get, "window.size.ms", 60_000),
                longOf(get, "window.retention.ms", 86_400_000),
                longOf(get, "commit.interval.ms", 100),
                scheme,
                intOf(get, "forward.connect.timeout.ms", 500),
                intOf(get, "forward.timeout.ms", 2000),
                orDefault(get.apply("forward.secret"), "wordcount-iq:" + applicationId));
    }

    public boolean embeddedKafka() {
        return bootstrapServers.isEmpty();
    }

    public Settings withBootstrapServers(String servers) {
        return new Settings(httpPort, managementPort, applicationServer, applicationId, mode, routesDir,
                requestTimeoutMs, maxKeyLength, maxBodyBytes, servers, inputTopic, outputTopic, stateDir,
                numStandbyReplicas, topicPartitions, topicReplicationFactor, windowSizeMs, windowRetentionMs,
                commitIntervalMs, forwardScheme, forwardConnectTimeoutMs, forwardTimeoutMs, forwardSecret);
    }

    /**
     * State belongs to one Kafka cluster: reused against another (a fresh embedded broker) it gives wrong counts.
     * So the embedded mode always starts from a fresh folder.
     */
    private static Path defaultStateDir(String applicationId, int httpPort, boolean embedded) {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "wordcount-iq");
        return embedded
                ? base.resolve("embedded-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                : base.resolve(applicationId + "-" + httpPort);
    }

    private static String validServer(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("APPLICATION_SERVER must be host:port, was " + hostPort);
        }
        Integer.parseInt(hostPort.substring(colon + 1));
        return hostPort;
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    private static int intOf(Function<String, String> get, String key, int fallback) {
        long v = longOf(get, key, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range, was " + v);
        }
        return (int) v;
    }

    private static long longOf(Function<String, String> get, String key, long fallback) {
        String v = get.apply(key);
        try {
            return v.isEmpty() ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was " + v);
        }
    }
}
