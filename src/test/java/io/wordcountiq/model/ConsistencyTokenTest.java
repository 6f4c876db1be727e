package io.wordcountiq.model;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a read must cover: tokens only grow when merged, and a fact concerns only the partitions it names (writes:
 * the partitions their words touched, or every one when that is not known). TokensTest holds the wire form.
 */
class ConsistencyTokenTest {

    private static final ConsistencyToken WROTE_1 = ConsistencyToken.written(Map.of(0, 10L), Set.of(1));
    private static final ConsistencyToken WROTE_2 = ConsistencyToken.written(Map.of(0, 8L, 1, 3L), Set.of(2));
    private static final ConsistencyToken SEEN_3 = new ConsistencyToken(Map.of(), Set.of(), Map.of(3, 50L));

    @Test
    void shouldBeEmptyOnlyWithoutAnyFact() {
        assertThat(ConsistencyToken.NONE.isEmpty()).isTrue();
        assertThat(ConsistencyToken.written(Map.of(), Set.of(1, 2))).as("touched without writes is no fact")
                .isEqualTo(ConsistencyToken.NONE);
        assertThat(WROTE_1.isEmpty()).isFalse();
        assertThat(SEEN_3.isEmpty()).isFalse();
        assertThat(ConsistencyToken.NONE.withObserved(false, 0, 1L).isEmpty()).isFalse();
    }

    @Test
    void shouldMergeToTheLaterFactOfEachPartitionAndTheUnionOfTouchedPartitions() {
        ConsistencyToken merged = WROTE_1.merge(WROTE_2).merge(SEEN_3);

        assertThat(merged.writes()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 10L, 1, 3L));
        assertThat(merged.touched()).containsExactlyInAnyOrder(1, 2);
        assertThat(merged.positions()).containsExactlyEntriesOf(Map.of(3, 50L));
        assertThat(SEEN_3.merge(WROTE_2).merge(WROTE_1)).as("in any order").isEqualTo(merged);
    }

    @Test
    void shouldKeepTheTouchedPartitionsOfTheOnlySideWithWrites() {
        assertThat(SEEN_3.merge(WROTE_1).touched()).containsExactly(1);
        assertThat(WROTE_1.merge(SEEN_3).touched()).containsExactly(1);
    }

    @Test
    void shouldWaitEverywhereOnceEitherSideDoesNotKnowWhatItsWritesTouched() {
        ConsistencyToken unknown = new ConsistencyToken(Map.of(2, 1L), null, Map.of());

        ConsistencyToken merged = WROTE_1.merge(unknown);

        assertThat(merged.touched()).isNull();
        assertThat(merged.writesConcern(0)).isTrue();
        assertThat(merged.writesConcern(7)).isTrue();
        assertThat(unknown.merge(WROTE_1).touched()).isNull();
    }

    @Test
    void shouldMergeWithNothingToItself() {
        assertThat(WROTE_1.merge(null)).isSameAs(WROTE_1);
        assertThat(WROTE_1.merge(ConsistencyToken.NONE)).isSameAs(WROTE_1);
        assertThat(ConsistencyToken.NONE.merge(WROTE_1)).isSameAs(WROTE_1);
    }

    @Test
    void shouldConcernOnlyThePartitionsItNames() {
        ConsistencyToken token = WROTE_1.merge(SEEN_3).withObserved(true, 5, 2L);

        assertThat(token.concerns(1)).as("touched by the writes").isTrue();
        assertThat(token.concerns(3)).as("a position seen").isTrue();
        assertThat(token.concerns(5)).as("what an observer was read at").isTrue();
        assertThat(token.concerns(0)).isFalse();
        assertThat(token.committedConcern(1)).isTrue();
        assertThat(token.committedConcern(5)).isTrue();
        assertThat(token.committedConcern(3)).as("a position is checked against the copy, not the group").isFalse();
        assertThat(token.observedConcern(5)).isTrue();
        assertThat(token.observedConcern(1)).isFalse();
    }

    @Test
    void shouldNameEveryStorePartitionOfItsFactsIncludingThoseItsWritesTouched() {
        ConsistencyToken token = WROTE_1.merge(SEEN_3).withObserved(false, 4, 1L).withObserved(true, 6, 1L);

        assertThat(token.partitions()).containsExactly(1, 3, 4, 6);
        assertThat(new ConsistencyToken(Map.of(0, 1L), null, Map.of()).partitions())
                .as("writes that touched unknown partitions name none").isEmpty();
    }

    @Test
    void shouldNeverGoBackWhenAPositionIsAdded() {
        ConsistencyToken token = SEEN_3.withPosition(3, 60L);

        assertThat(token.positions()).containsExactlyEntriesOf(Map.of(3, 60L));
        assertThat(token.withPosition(3, 59L)).isSameAs(token);
        assertThat(token.withPosition(3, 60L)).isSameAs(token);
        assertThat(token.withObserved(false, 3, 5L).withObserved(false, 3, 4L).observed())
                .containsExactlyEntriesOf(Map.of(3, 5L));
    }

    @Test
    void shouldNotChangeWhenTheMapsItWasBuiltFromChange() {
        Map<Integer, Long> writes = new java.util.HashMap<>(Map.of(0, 1L));
        ConsistencyToken token = ConsistencyToken.written(writes, Set.of(0));

        writes.put(1, 2L);

        assertThat(token.writes()).containsOnlyKeys(0);
    }
}
