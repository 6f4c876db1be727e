package io.wordcountiq.cluster;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What this instance's metadata decides before Kafka Streams runs, and what it keeps of its peers. */
class StoreMetadataTest {

    private final StoreMetadata metadata = metadata("wordcount");

    @Test
    void shouldRefuseQueriesWith503UntilKafkaStreamsIsStarted() {
        assertThat(metadata.notQueryableReason()).isEqualTo("Kafka Streams is not started yet");
        assertThatThrownBy(metadata::requireQueryable).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> metadata.placementNow("word-count", "hello")).isInstanceOf(ApiError.class);
        assertThat(metadata.refreshOwnLags()).as("no lags to measure").isNull();
    }

    @Test
    void shouldReadAStandbyOfUnknownLagWhenNoActiveTaskRunsHere() {
        assertThat(metadata.copyHere("word-count", 3)).isEqualTo(Copy.standby(null));
    }

    @Test
    void shouldKnowItsOwnClusterAndWhatPeersSaidOfTheirs() {
        metadata.peerReports().reportCluster(new HostInfo("wc-1", 8080), "red");
        metadata.peerReports().reportLags(new HostInfo("wc-1", 8080), Map.of(2, 7L));

        assertThat(metadata.clusterOf("wc-0:8080")).isEqualTo("green");
        assertThat(metadata.clusterOf("wc-1:8080")).isEqualTo("red");
        assertThat(metadata.peerLagsOf(2)).containsExactly(Map.entry(new HostInfo("wc-1", 8080), 7L));
    }

    @Test
    void shouldDescribeItselfAsAnObserverWithoutLags() {
        StoreMetadata observer = metadata("observer");

        assertThat(observer.isObserver()).isTrue();
        assertThat(observer.selfReport().fields()).containsEntry("mode", "observer").containsEntry("ready", false);
        assertThat(metadata.selfReport().fields()).containsEntry("mode", "wordcount").containsEntry("cluster", "green");
    }

    static StoreMetadata metadata(String mode) {
        return new StoreMetadata(new StreamsLifecycle(Settings.withDefaults(Map.of("application.server", "wc-0:8080",
                "cluster.name", "green", "app.mode", mode))));
    }
}
