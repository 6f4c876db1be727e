package io.wordcountiq.wholestore;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StandbyPartsTest {

    private static final HostInfo SELF = new HostInfo("green-0", 8080);
    private static final HostInfo GREEN = new HostInfo("green-1", 8080);
    private static final HostInfo RED = new HostInfo("red-1", 8080);

    @Test
    void shouldReadOwnStandbysThenTheNearestReachableOnesWithinMaxLag() {
        Map<Integer, List<HostInfo>> standbys = Map.of(0, List.of(SELF), 1, List.of(RED, GREEN), 2, List.of(RED),
                3, List.of(GREEN));
        Map<HostInfo, Long> lags = Map.of(GREEN, 5L, RED, 1L);

        StandbyParts plan = StandbyParts.plan(Set.of(0, 1, 2, 3, 4), standbys, SELF, h -> true,
                h -> h.host().startsWith("green"), p -> lags, null);
        assertThat(plan.own()).containsExactly(0);
        assertThat(plan.peers()).isEqualTo(Map.of(GREEN, Set.of(1, 3), RED, Set.of(2)));

        StandbyParts bounded = StandbyParts.plan(Set.of(1, 2, 3), standbys, SELF, h -> !h.equals(RED),
                h -> h.host().startsWith("green"), p -> lags, 3L);
        assertThat(bounded.peers()).as("red cannot be reached; green lags more than maxLag").isEmpty();
    }
}
