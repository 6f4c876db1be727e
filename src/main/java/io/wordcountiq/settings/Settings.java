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
 * <p>Four keys are empty by default and then derived here: application.server ({@code localhost:<http.port>}),
 * application.id (by mode), state.dir (see {@link #defaultStateDir}) and forward.secret (from the application id).
 *
 * @param embeddedKafka true when kafka.bootstrap.servers is empty: this process starts its own broker
 */
public record Settings(
        int httpPort,
        int managementPort,
        String applicationServer,
        String applicationId,
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

    /** The property that, when empty, asks for an embedded broker. */
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    /** True when no broker is configured, so the caller must start one and pass it to {@link #from(Function, String)}. */
    public static boolean wantsEmbeddedKafka(Function<String, Optional<String>> lookup) {
        return lookup.apply(BOOTSTRAP_SERVERS).map(String::isBlank).orElse(true);
    }

    public static Settings from(Function<String, Optional<String>> lookup) {
        return from(lookup, null);
    }

    /**
     * @param embeddedBootstrapServers the address of a broker this process started, or null when
     *                                 kafka.bootstrap.servers names one
     */
    public static Settings from(Function<String, Optional<String>> lookup, String embeddedBootstrapServers) {
        Values v = new Values(lookup, packagedDefaults());
        int httpPort = v.integer("http.port");
        AppMode mode = AppMode.valueOf(v.text("app.mode").toUpperCase(Locale.ROOT));
        String applicationId = v.text("application.id", mode == AppMode.OBSERVER ? "wordcount-iq-observer" : "wordcount-iq");
        String scheme = v.text("forward.scheme").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("FORWARD_SCHEME must be http or https, was " + scheme);
        }
        String bootstrapServers = embeddedBootstrapServers != null ? embeddedBootstrapServers : v.text(BOOTSTRAP_SERVERS, "");
        boolean embedded = embeddedBootstrapServers != null || bootstrapServers.isEmpty();
        String stateDir = v.text("state.dir", "");
        return new Settings(
                httpPort,
                v.integer("management.port"),
                validServer(v.text("application.server", "localhost:" + httpPort)),
                applicationId,
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
                stateDir.isEmpty() ? defaultStateDir(applicationId, httpPort, embedded) : Path.of(stateDir),
                v.integer("num.standby.replicas"),
                v.integer("topic.partitions"),
                (short) v.integer("topic.replication.factor"),
                v.number("window.size.ms"),
                v.number("window.retention.ms"),
                v.number("commit.interval.ms"),
                scheme,
                v.integer("forward.connect.timeout.ms"),
                v.integer("forward.timeout.ms"),
                v.text("forward.secret", "wordcount-iq:" + applicationId));
    }

    /** The packaged defaults with some keys replaced: for tests and tools that run without Camel. */
    public static Settings withDefaults(Map<String, String> overrides) {
        Properties defaults = packagedDefaults();
        return from(key -> Optional.ofNullable(overrides.containsKey(key) ? overrides.get(key) : defaults.getProperty(key)));
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

        int integer(String key) {
            long v = number(key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " is out of range, was " + v);
            }
            return (int) v;
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
