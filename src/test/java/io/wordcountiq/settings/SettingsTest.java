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
}
