package io.wordcountiq.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.settings.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    private final Settings settings = Settings.withDefaults(Map.of("kafka.bootstrap.servers", "broker:9092",
            "forward.secret", "0123456789abcdef"), Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_MAX_POLL_RECORDS", "100"));

    @Test
    void shouldSetWhatTheServiceDecidesOverTheClientSettings() {
        Properties props = StreamsProperties.streams(settings);

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId())
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("max.poll.records", "100");
    }

    @Test
    void shouldGiveTheAdminClientOnlyTheSettingsItKnows() {
        Properties admin = StreamsProperties.admin(settings);

        assertThat(admin).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker:9092")
                .doesNotContainKey("max.poll.records")
                .doesNotContainKey("num.standby.replicas");
    }
}
