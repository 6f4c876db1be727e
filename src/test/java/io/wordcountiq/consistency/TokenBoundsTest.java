package io.wordcountiq.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A token that names partitions or writes this cluster never had is a 400. */
class TokenBoundsTest {

    @Test
    void shouldRefuseAnInputPartitionTheTopicDoesNotHave() {
        ConsistencyToken token = ConsistencyToken.written(Map.of(4, 1L), Set.of(0));

        assertThatThrownBy(() -> TokenBounds.requirePartitions(token, 4)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400))
                .hasMessage("X-IQ-Token names input partition 4, which does not exist (4 partitions)");
    }

    @Test
    void shouldRefuseAStorePartitionTheTopicDoesNotHave() {
        ConsistencyToken token = new ConsistencyToken(Map.of(), Set.of(), Map.of(-1, 3L));

        assertThatThrownBy(() -> TokenBounds.requirePartitions(token, 4))
                .hasMessage("X-IQ-Token names store partition -1, which does not exist (4 partitions)");
        assertThatCode(() -> TokenBounds.requirePartitions(ConsistencyToken.written(Map.of(3, 1L), Set.of(3)), 4))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseWritesBeyondTheInputPartitionsEnd() {
        ConsistencyToken token = ConsistencyToken.written(Map.of(0, 11L), Set.of(0));
        TopicPartition input0 = new TopicPartition("lines", 0);

        assertThatThrownBy(() -> TokenBounds.requireWritesReceived(token, Map.of(input0, 10L), "lines"))
                .hasMessage("X-IQ-Token names writes this cluster never received (input partition 0 offset 11, end 10)");
        assertThatThrownBy(() -> TokenBounds.requireWritesReceived(token, Map.of(), "lines")).hasMessageContaining("end null");
        assertThatCode(() -> TokenBounds.requireWritesReceived(token, Map.of(input0, 11L), "lines")).doesNotThrowAnyException();
    }
}
