package io.wordcountiq.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void shouldDefaultApplicationServerToLocalhostAndHttpPort() {
        Settings s = Settings.withDefaults(Map.of("http.port", "8181"));

        assertThat(s.applicationServer()).isEqualTo("localhost:8181");
        assertThat(s.applicationId()).isEqualTo("wordcount-iq");
        assertThat(s.embeddedKafka()).isTrue();
    }

    @Test
    void shouldGiveObserversTheirOwnApplicationId() {
        Settings s = Settings.withDefaults(Map.of("app.mode", "observer"));

        assertThat(s.mode()).isEqualTo(Settings.AppMode.OBSERVER);
        assertThat(s.applicationId()).isEqualTo("wordcount-iq-observer");
    }

    @Test
    void shouldRefuseAnApplicationServerWithoutPortAndAnUnknownScheme() {
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("application.server", "wc-0")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("forward.scheme", "ftp")))
                .hasMessageContaining("FORWARD_SCHEME");
    }

    @Test
    void shouldTakeEveryDefaultFromApplicationPropertiesAndAnEmptyValueAsTheDefault() {
        Settings defaults = Settings.withDefaults(Map.of());
        Settings emptyValues = Settings.withDefaults(Map.of("http.port", "", "request.timeout.ms", " "));

        assertThat(defaults.httpPort()).isEqualTo(8080);
        assertThat(defaults.routesReloadIntervalMs()).isEqualTo(1000);
        assertThat(defaults.forwardTimeoutMs()).isEqualTo(2000);
        assertThat(emptyValues.httpPort()).isEqualTo(8080);
        assertThat(emptyValues.requestTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void shouldMapKafkaEnvironmentVariablesToClientSettingsAndHideSecrets() {
        Properties props = KafkaClientSettings.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required password=\"p\";",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "KAFKA_BOOTSTRAP_SERVERS", "ignored:9092",
                "HOME", "/root"));

        assertThat(props).containsOnlyKeys("security.protocol", "sasl.jaas.config", "ssl.truststore.password");
        assertThat(KafkaClientSettings.redacted(props))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "[hidden]")
                .containsEntry("ssl.truststore.password", "[hidden]");
    }

    @Test
    void shouldLetAKafkaVariableWinOverADedicatedVariableLeftAtItsDefault() {
        Settings s = Settings.withDefaults(Map.of(), Map.of("KAFKA_NUM_STANDBY_REPLICAS", "1", "KAFKA_COMMIT_INTERVAL_MS", "250"));

        assertThat(s.numStandbyReplicas()).isEqualTo(1);
        assertThat(s.commitIntervalMs()).isEqualTo(250);
        assertThat(s.kafkaClient()).containsEntry("num.standby.replicas", "1").containsEntry("commit.interval.ms", "250");
    }

    @Test
    void shouldRefuseToStartWhenAKafkaVariableAndItsDedicatedVariableDisagree() {
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("num.standby.replicas", "2"), Map.of("KAFKA_NUM_STANDBY_REPLICAS", "1")))
                .hasMessageContaining("KAFKA_NUM_STANDBY_REPLICAS=1").hasMessageContaining("NUM_STANDBY_REPLICAS=2");
        assertThat(Settings.withDefaults(Map.of("num.standby.replicas", "1"), Map.of("KAFKA_NUM_STANDBY_REPLICAS", "1"))
                .numStandbyReplicas()).as("the same value twice is no conflict").isEqualTo(1);
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("topic.replication.factor", "3"), Map.of("KAFKA_REPLICATION_FACTOR", "2")))
                .hasMessageContaining("KAFKA_REPLICATION_FACTOR").hasMessageContaining("TOPIC_REPLICATION_FACTOR");
    }

    @Test
    void shouldRefuseToStartWhenAKafkaVariableSetsWhatTheServiceOwns() {
        assertThatThrownBy(() -> Settings.withDefaults(Map.of(), Map.of("KAFKA_APPLICATION_ID", "other")))
                .hasMessageContaining("KAFKA_APPLICATION_ID").hasMessageContaining("APPLICATION_ID instead");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of(), Map.of("KAFKA_STATE_DIR", "/elsewhere")))
                .hasMessageContaining("KAFKA_STATE_DIR").hasMessageContaining("STATE_DIR");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of(), Map.of("KAFKA_PROCESSING_GUARANTEE", "at_least_once")))
                .hasMessageContaining("exactly_once_v2");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of(), Map.of("KAFKA_APPLICATION_SERVER", "x:1")))
                .hasMessageContaining("APPLICATION_SERVER");
    }

    @Test
    void shouldRefuseTheStreamsGroupProtocol() {
        assertThatThrownBy(() -> Settings.withDefaults(Map.of(), Map.of("KAFKA_GROUP_PROTOCOL", "streams")))
                .hasMessageContaining("KAFKA_GROUP_PROTOCOL=streams").hasMessageContaining("classic");
    }

    @Test
    void shouldTagTheClusterSoStandbysGoToTheOtherCluster() {
        Settings s = Settings.withDefaults(Map.of("cluster.name", "red"));

        assertThat(s.kafkaClient()).containsEntry("client.tag.cluster", "red").containsEntry("rack.aware.assignment.tags", "cluster");
        assertThat(Settings.withDefaults(Map.of()).kafkaClient()).doesNotContainKey("rack.aware.assignment.tags");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("cluster.name", "red"), Map.of("KAFKA_CLIENT_TAG_CLUSTER", "green")))
                .hasMessageContaining("CLUSTER_NAME");
    }

    @Test
    void shouldLogOnlyValuesOfKnownNonSecretSettings() {
        Properties props = KafkaClientSettings.fromEnvironment(Map.of(
                "KAFKA_SSL_KEYSTORE_KEY", "-----BEGIN PRIVATE KEY-----",
                "KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET", "s3",
                "KAFKA_SSL_KEY_PASSPHRASE", "p",
                "KAFKA_MY_TYPO_PASWORD", "p2",
                "KAFKA_SESSION_TIMEOUT_MS", "10000",
                "KAFKA_CLIENT_TAG_CLUSTER", "green"));

        assertThat(KafkaClientSettings.redacted(props))
                .containsEntry("session.timeout.ms", "10000")
                .containsEntry("client.tag.cluster", "green")
                .containsEntry("ssl.keystore.key", "[hidden]")
                .containsEntry("sasl.oauthbearer.client.credentials.client.secret", "[hidden]")
                .containsEntry("ssl.key.passphrase", "[hidden]")
                .containsEntry("my.typo.pasword", "[hidden]");
    }

    @Test
    void shouldReadTheUiObserversAsAListOfHostPortsAndRefuseAnythingElse() {
        assertThat(Settings.withDefaults(Map.of()).uiObservers()).isEmpty();
        assertThat(Settings.withDefaults(Map.of("ui.observers", " obs-0.green.example:443, obs-1.red.example:443 ,,obs-0.green.example:443"))
                .uiObservers()).containsExactly("obs-0.green.example:443", "obs-1.red.example:443");
        for (String bad : new String[] {"obs-0", "obs-0:", ":80", "obs-0:http", "obs-0:99999", "http://obs-0:80", "obs 0:80"}) {
            assertThatThrownBy(() -> Settings.withDefaults(Map.of("ui.observers", bad))).as(bad)
                    .hasMessageContaining("UI_OBSERVERS");
        }
    }

    @Test
    void shouldPutTheStateUnderTheDataFolderByDefault() {
        Settings s = Settings.withDefaults(Map.of("data.dir", "/var/lib/x", "http.port", "8181"));

        assertThat(s.stateDir()).isEqualTo(java.nio.file.Path.of("/var/lib/x/state/wordcount-iq-8181"));
    }

    @Test
    void shouldRefuseToStartWithoutAForwardSecretOnAnExternalBroker() {
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("kafka.bootstrap.servers", "kafka:9092")))
                .hasMessageContaining("FORWARD_SECRET is not set");
        assertThatThrownBy(() -> Settings.withDefaults(Map.of("kafka.bootstrap.servers", "kafka:9092", "forward.secret", "short")))
                .hasMessageContaining("at least 16");
        assertThat(Settings.withDefaults(Map.of("kafka.bootstrap.servers", "kafka:9092",
                "forward.secret", "a-long-enough-shared-secret")).forwardSecret()).isEqualTo("a-long-enough-shared-secret");
    }

    @Test
    void shouldGiveTheEmbeddedBrokersSingleProcessARandomForwardSecret() {
        String one = Settings.withDefaults(Map.of()).forwardSecret();
        String two = Settings.withDefaults(Map.of()).forwardSecret();

        assertThat(one).hasSizeGreaterThan(30).isNotEqualTo(two).doesNotContain("wordcount-iq");
    }
}
