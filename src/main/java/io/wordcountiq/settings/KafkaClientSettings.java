package io.wordcountiq.settings;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka client settings from the environment, as the common Kafka images do it: KAFKA_SASL_JAAS_CONFIG becomes
 * sasl.jaas.config. KAFKA_BOOTSTRAP_SERVERS is handled by {@link Settings} because it also decides the embedded broker.
 */
public final class KafkaClientSettings {

    private static final String PREFIX = "KAFKA_";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|key)$|.*jaas.*");

    private KafkaClientSettings() {
    }

    public static Properties fromEnvironment(Map<String, String> env) {
        Properties props = new Properties();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && !name.equals("KAFKA_BOOTSTRAP_SERVERS") && value != null && !value.isBlank()) {
                props.setProperty(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }

    /** A copy safe to log: values of secret-looking keys are masked. */
    public static Map<String, String> redacted(Properties props) {
        Map<String, String> out = new TreeMap<>();
        props.forEach((k, v) -> out.put(k.toString(), isSecret(k.toString()) ? "[hidden]" : v.toString()));
        return out;
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }
}
