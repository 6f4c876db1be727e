package io.wordcountiq.cluster;

import io.wordcountiq.http.Replies;
import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.wire.Tokens;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstancesTest {

    private final StoreMetadata metadata = StoreMetadataTest.metadata("wordcount");
    private final PeerHealth health = new PeerHealth(metadata::clusterOf, System::currentTimeMillis);
    private final Instances instances = new Instances(metadata, new RequestValidator(100),
            new Replies("wc-0:8080", "green", new Tokens(List.of("s"))), health);

    @Test
    void shouldListAKeysStandbysInOrderWithTheirKnownLagsAndWhoCannotBeReached() {
        metadata.peerReports().reportLags(new HostInfo("wc-3", 8080), Map.of(4, 12L));
        metadata.peerReports().reportCluster(new HostInfo("wc-1", 8080), "red");
        health.observe(new PeerReply.Failed("wc-2:8080", PeerReply.Failure.REFUSED, "refused", 1));
        KeyQueryMetadata md = new KeyQueryMetadata(new HostInfo("wc-1", 8080),
                Set.of(new HostInfo("wc-3", 8080), new HostInfo("wc-2", 8080)), 4);

        Map<String, Object> holders = instances.holders("word-count", md);

        assertThat(holders).containsEntry("host", "wc-1").containsEntry("cluster", "red").containsEntry("partition", 4)
                .doesNotContainKey("reachable");
        assertThat(holders.get("standbys")).isEqualTo(List.of(
                Map.of("host", "wc-2", "port", 8080, "reachable", false),
                Map.of("host", "wc-3", "port", 8080, "offsetLag", 12L)));
    }
}
