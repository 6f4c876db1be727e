package io.wordcountiq.wholestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which partitions, as one read found them, this instance's part of a whole-store answer keeps. */
class CoveredPartitionsTest {

    private static RangeRequest request(ConsistencyToken token, Long maxLag) {
        return new RangeRequest("word-count", null, null, false, null, null, false, token, maxLag);
    }

    private static Map<Integer, Long> positions(long p0, long p1) {
        Map<Integer, Long> positions = new LinkedHashMap<>();
        positions.put(0, p0);
        positions.put(1, p1);
        return positions;
    }

    @Test
    void shouldKeepEveryActivePartitionWithoutAToken() {
        CoveredPartitions sorted = CoveredPartitions.sort(request(ConsistencyToken.NONE, null),
                Map.of(0, Copy.ACTIVE, 1, Copy.ACTIVE), positions(5, 6), Set.of());

        assertThat(sorted.kept()).isEqualTo(Map.of(0, 5L, 1, 6L));
        assertThat(sorted.waiting()).isFalse();
        assertThat(sorted.lag()).isNull();
    }

    @Test
    void shouldWaitForAPartitionBehindAPositionTheTokenSaw() {
        ConsistencyToken saw = new ConsistencyToken(Map.of(), Set.of(), Map.of(1, 10L));

        CoveredPartitions sorted = CoveredPartitions.sort(request(saw, null), Map.of(0, Copy.ACTIVE, 1, Copy.ACTIVE),
                positions(5, 8), Set.of());

        assertThat(sorted.kept()).containsOnlyKeys(0);
        assertThat(sorted.behind()).isEqualTo("it is 2 records behind a read already made");
        assertThat(sorted.waiting()).isTrue();
    }

    @Test
    void shouldCheckTheTokensWritesOnceForEachPartitionTheyTouch() {
        ConsistencyToken wrote = ConsistencyToken.written(Map.of(0, 3L), Set.of(1));

        CoveredPartitions first = CoveredPartitions.sort(request(wrote, null), Map.of(0, Copy.ACTIVE, 1, Copy.ACTIVE),
                positions(5, 6), Set.of());
        CoveredPartitions checked = CoveredPartitions.sort(request(wrote, null), Map.of(0, Copy.ACTIVE, 1, Copy.ACTIVE),
                positions(5, 6), Set.of(1));

        assertThat(first.toCheck()).isEqualTo(Map.of(1, 6L));
        assertThat(first.kept()).containsOnlyKeys(0);
        assertThat(checked.toCheck()).isEmpty();
        assertThat(checked.kept()).containsOnlyKeys(0, 1);
    }

    @Test
    void shouldNotCheckTheWritesOfAPartitionStillBehindASeenPosition() {
        ConsistencyToken token = new ConsistencyToken(Map.of(0, 3L), Set.of(1), Map.of(1, 10L));

        CoveredPartitions sorted = CoveredPartitions.sort(request(token, null), Map.of(0, Copy.ACTIVE, 1, Copy.ACTIVE),
                positions(5, 8), Set.of());

        assertThat(sorted.toCheck()).isEmpty();
        assertThat(sorted.behind()).isNotNull();
    }

    @Test
    void shouldKeepAStandbyExactlyAtMaxLag() {
        CoveredPartitions sorted = CoveredPartitions.sort(request(ConsistencyToken.NONE, 10L),
                Map.of(0, Copy.standby(10L), 1, Copy.standby(11L)), positions(5, 6), Set.of());

        assertThat(sorted.kept()).containsOnlyKeys(0);
        assertThat(sorted.lag()).isEqualTo(10L);
    }

    @Test
    void shouldLeaveOutCopiesMaxLagDoesNotAdmitAndReportTheLagOfTheOthers() {
        CoveredPartitions sorted = CoveredPartitions.sort(request(ConsistencyToken.NONE, 10L),
                Map.of(0, Copy.standby(4L), 1, Copy.RESTORING), positions(5, 6), Set.of());
        CoveredPartitions unknown = CoveredPartitions.sort(request(ConsistencyToken.NONE, null),
                Map.of(0, Copy.standby(4L), 1, Copy.standby(null)), positions(5, 6), Set.of());

        assertThat(sorted.kept()).containsOnlyKeys(0);
        assertThat(sorted.lag()).isEqualTo(4L);
        assertThat(sorted.waiting()).as("a left-out partition is missing, not awaited").isFalse();
        assertThat(unknown.lag()).as("a lag not known").isEqualTo(-1L);
    }
}
