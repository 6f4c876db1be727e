package io.wordcountiq.settings;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka client settings from the environment, as the common Kafka images do it: KAFKA_SASL_JAAS_CONFIG becomes
 * sasl.jaas.config. KAFKA_BOOTSTRAP_SERVERS is handled by {@link Settings} because it also decides the embedded
 * broker.
 *
 * <p>No setting is ever replaced silently: a KAFKA_ variable for a setting the service owns refuses to start, and
 * one for a setting with a dedicated variable wins over that variable's default (see {@link #dedicated}).
 */
public final class KafkaClientSettings {

    private static final String PREFIX = "KAFKA_";
    private static final String HIDDEN = "[hidden]";

    /** Settings the service decides itself, and the variable (or fact) that decides each. */
    private static final Map<String, String> OWNED = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, "APPLICATION_ID",
            StreamsConfig.APPLICATION_SERVER_CONFIG, "APPLICATION_SERVER",
            StreamsConfig.STATE_DIR_CONFIG, "STATE_DIR",
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "the service (always exactly_once_v2)",
            StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, "the service (always all, so both stores of a word share a partition)");

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

    /** The KAFKA_ variable that sets a client setting. */
    static String variable(String setting) {
        return PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * Refuses client settings that would fight the service: one it owns (unless it says the same), and
     * group.protocol=streams, under which standbys and the session timeout are broker-side group settings.
     *
     * @param decided what the service sets for each owned setting
     */
    static void refuseConflicts(Properties client, Map<String, String> decided) {
        OWNED.forEach((setting, owner) -> {
            String value = client.getProperty(setting);
            if (value != null && !value.equals(decided.get(setting))) {
                throw new IllegalArgumentException(variable(setting) + "=" + shown(setting, value) + " conflicts with "
                        + owner + ", which decides " + setting + (owner.startsWith("the service") ? "; remove "
                        + variable(setting) : "; set " + owner + " instead"));
            }
        });
        String protocol = client.getProperty("group.protocol");
        if (protocol != null && !protocol.equalsIgnoreCase("classic")) {
            throw new IllegalArgumentException(variable("group.protocol") + "=" + protocol + " is not supported: under the "
                    + "streams protocol the standby count and session timeout are broker-side group settings and this "
                    + "service's NUM_STANDBY_REPLICAS and KAFKA_SESSION_TIMEOUT_MS would be ignored; use classic");
        }
    }

    /**
     * A setting with its own variable (NUM_STANDBY_REPLICAS for num.standby.replicas): the KAFKA_ variable wins over
     * that variable's default; both set to different values refuse to start.
     *
     * @param dedicatedValue    the dedicated variable's value
     * @param dedicatedExplicit whether the dedicated variable was set (differs from its default)
     * @return the value in force
     */
    static String dedicated(Properties client, String setting, String dedicatedVariable, String dedicatedValue,
                            boolean dedicatedExplicit) {
        String fromClient = client.getProperty(setting);
        if (fromClient == null) {
            return dedicatedValue;
        }
        if (dedicatedExplicit && !fromClient.trim().equals(dedicatedValue)) {
            throw new IllegalArgumentException(variable(setting) + "=" + fromClient + " conflicts with "
                    + dedicatedVariable + "=" + dedicatedValue + "; set only one of them");
        }
        return fromClient.trim();
    }

    /**
     * A copy safe to log. Only values of settings Kafka itself declares and does not type as a password are shown;
     * every other value (passwords, JAAS configs, unknown or misspelled keys) is masked.
     */
    public static Map<String, String> redacted(Properties props) {
        Map<String, String> out = new TreeMap<>();
        props.forEach((k, v) -> out.put(k.toString(), shown(k.toString(), v.toString())));
        return out;
    }

    static String shown(String key, String value) {
        return isKnownNonSecret(key) ? value : HIDDEN;
    }

    static boolean isKnownNonSecret(String key) {
        for (ConfigDef def : new ConfigDef[] {StreamsConfig.configDef(), ProducerConfig.configDef(),
                ConsumerConfig.configDef(), AdminClientConfig.configDef()}) {
            ConfigDef.ConfigKey known = def.configKeys().get(key);
            if (known != null) {
                return known.type != ConfigDef.Type.PASSWORD && !key.contains("jaas") && !key.contains("secret")
                        && !key.contains("password") && !key.contains("token") && !key.endsWith(".key");
            }
        }
        return key.startsWith("client.tag.");
    }
}
