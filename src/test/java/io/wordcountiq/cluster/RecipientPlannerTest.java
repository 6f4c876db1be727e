package io.wordcountiq.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientPlannerTest {

    private static final HostInfo SELF = new HostInfo("wc-0", 8080);
    private static final HostInfo A = new HostInfo("wc-1", 8080);
    private static final HostInfo B = new HostInfo("wc-2", 8080);
    private static final HostInfo C = new HostInfo("wc-3", 8080);

    @Test
    void shouldPutTheOwnerFirstThenStandbysThenEveryOtherHost() {
        KeyQueryMetadata key = new KeyQueryMetadata(C, Set.of(B), 3);

        assertThat(RecipientPlanner.order(SELF, key, hosts(SELF, A, B, C), Map.of())).containsExactly(C, B, A);
    }

    @Test
    void shouldOrderStandbysByKnownLagLeastFirst() {
        KeyQueryMetadata key = new KeyQueryMetadata(C, Set.of(A, B), 3);

        assertThat(RecipientPlanner.order(SELF, key, hosts(A, B, C), Map.of(A, 500L, B, 2L))).containsExactly(C, B, A);
    }

    @Test
    void shouldNeverListItselfOrTheUnavailableSentinel() {
        KeyQueryMetadata ownedBySelf = new KeyQueryMetadata(SELF, Set.of(A), 0);
        HostInfo unavailable = new HostInfo("unavailable", -1);

        assertThat(RecipientPlanner.order(SELF, ownedBySelf, hosts(SELF, A, unavailable), Map.of())).containsExactly(A);
        assertThat(RecipientPlanner.order(SELF, KeyQueryMetadata.NOT_AVAILABLE, hosts(SELF, B, A), Map.of())).containsExactly(A, B);
    }

    @Test
    void shouldPutTheNearestCopyFirstWhenTheRequestSaysHowFreshItMustBe() {
        // The owner C is in red; this instance and standbys A and B are in green, B the least behind.
        KeyQueryMetadata key = new KeyQueryMetadata(C, Set.of(A, B), 3);
        Map<HostInfo, String> clusters = Map.of(A, "green", B, "green", C, "red");

        assertThat(RecipientPlanner.nearest(SELF, "green", key, Map.of(A, 40L, B, 2L), clusters::get, null))
                .containsExactly(B, A, C);
        assertThat(RecipientPlanner.nearest(SELF, "green", key, Map.of(A, 40L, B, 2L), clusters::get, 10L))
                .as("a standby known to lag more than maxLag is left out").containsExactly(B, C);
        assertThat(RecipientPlanner.nearest(SELF, "red", key, Map.of(A, 40L, B, 2L), clusters::get, null))
                .as("in red, the owner is nearest").containsExactly(C, B, A);
        assertThat(RecipientPlanner.nearest(SELF, "", key, Map.of(), h -> "", null))
                .as("no cluster names: the owner, then standbys").containsExactly(C, A, B);
    }

    private static List<StreamsMetadata> hosts(HostInfo... hosts) {
        return java.util.Arrays.stream(hosts)
                .map(h -> (StreamsMetadata) new StreamsMetadataImpl(h, Set.of("word-count"), Set.of(), Set.of(), Set.of()))
                .toList();
    }
}
