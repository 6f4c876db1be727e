package io.wordcountiq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void shouldDefaultApplicationServerToLocalhostAndHttpPort() {
        Settings s = Settings.from(key -> Optional.ofNullable(Map.of("http.port", "8181").get(key)));

        assertThat(s.applicationServer()).isEqualTo("localhost:8181");
        assertThat(s.applicationId()).isEqualTo("wordcount-iq");
        assertThat(s.embeddedKafka()).isTrue();
    }

    @Test
    void shouldGiveObserversTheirOwnApplicationId() {
        Settings s = Settings.from(key -> Optional.ofNullable(Map.of("app.mode", "observer").get(key)));

        assertThat(s.mode()).isEqualTo(Settings.AppMode.OBSERVER);
        assertThat(s.applicationId()).isEqualTo("wordcount-iq-observer");
    }

    @Test
    void shouldRefuseAnApplicationServerWithoutPortAndAnUnknownScheme() {
        assertThatThrownBy(() -> Settings.from(key -> Optional.ofNullable(Map.of("application.server", "wc-0").get(key))))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> Settings.from(key -> Optional.ofNullable(Map.of("forward.scheme", "ftp").get(key))))
                .hasMessageContaining("FORWARD_SCHEME");
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
