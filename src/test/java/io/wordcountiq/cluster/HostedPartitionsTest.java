package io.wordcountiq.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostedPartitionsTest {

    private static final String INPUT = "lines";
    private static final HostInfo SELF = new HostInfo("wc-0", 8080);
    private static final HostInfo PEER = new HostInfo("wc-1", 8080);
    private static final List<StreamsMetadata> CLIENTS = List.of(
            member(SELF, Set.of(tp("counts", 0), tp(INPUT, 0)), Set.of(tp("counts", 1))),
            member(PEER, Set.of(tp("counts", 1), tp(INPUT, 1)), Set.of(tp("counts", 0))),
            member(PEER, Set.of(), Set.of()),
            member(new HostInfo("unavailable", -1), Set.of(), Set.of()));

    @Test
    void shouldCountTheInputTopicsPartitionsAsNoStorePartition() {
        assertThat(HostedPartitions.activeByHost(CLIENTS, INPUT)).isEqualTo(Map.of(SELF, Set.of(0), PEER, Set.of(1)));
        assertThat(HostedPartitions.standbysByPartition(CLIENTS, INPUT)).isEqualTo(Map.of(0, List.of(PEER), 1, List.of(SELF)));
        assertThat(HostedPartitions.activePartitions(CLIENTS, INPUT)).containsExactly(0, 1);
        assertThat(HostedPartitions.activeOn(CLIENTS, SELF, 0, INPUT)).isTrue();
        assertThat(HostedPartitions.activeOn(CLIENTS, SELF, 1, INPUT)).as("a standby is not the active task").isFalse();
        assertThat(HostedPartitions.activeOn(List.of(member(SELF, Set.of(tp(INPUT, 1)), Set.of())), SELF, 1, INPUT))
                .as("the input topic's partition").isFalse();
    }

    @Test
    void shouldListEveryOtherUsableInstanceOnce() {
        assertThat(HostedPartitions.others(CLIENTS, SELF)).containsExactly(PEER);
    }

    @Test
    void shouldQueryAWordCountStoreWhileRebalancingButAnObserverOnlyWhenRunning() {
        assertThat(HostedPartitions.notQueryableReason(KafkaStreams.State.RUNNING, false)).isNull();
        assertThat(HostedPartitions.notQueryableReason(KafkaStreams.State.REBALANCING, false)).isNull();
        assertThat(HostedPartitions.notQueryableReason(KafkaStreams.State.REBALANCING, true))
                .isEqualTo("Kafka Streams is REBALANCING");
        assertThat(HostedPartitions.notQueryableReason(KafkaStreams.State.PENDING_SHUTDOWN, false))
                .isEqualTo("Kafka Streams is PENDING_SHUTDOWN");
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static StreamsMetadata member(HostInfo host, Set<TopicPartition> active, Set<TopicPartition> standby) {
        return new StreamsMetadataImpl(host, active.isEmpty() ? Set.of() : Set.of("counts"), active,
                standby.isEmpty() ? Set.of() : Set.of("counts"), standby);
    }
}
