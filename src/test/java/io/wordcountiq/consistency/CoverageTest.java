package io.wordcountiq.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The verdicts of a token check, from offsets already taken. */
class CoverageTest {

    private static final ConsistencyToken WROTE_TO_INPUT_0 = ConsistencyToken.written(Map.of(0, 10L), Set.of(1));
    private static final ConsistencyToken SAW_PARTITION_1_AT_40 = new ConsistencyToken(Map.of(), Set.of(), Map.of(1, 40L));

    @Test
    void shouldFindAReadBehindAPositionTheTokenSaw() {
        assertThat(Coverage.positionBehind(SAW_PARTITION_1_AT_40, 1, 37)).isEqualTo("it is 3 records behind a read already made");
        assertThat(Coverage.positionBehind(SAW_PARTITION_1_AT_40, 1, 40)).isNull();
        assertThat(Coverage.positionBehind(SAW_PARTITION_1_AT_40, 0, -1)).as("no fact of partition 0").isNull();
    }

    @Test
    void shouldWaitForTheInputToBeCommittedPastEveryWrite() {
        TopicPartition input0 = new TopicPartition("lines", 0);

        assertThat(Coverage.inputBehind(WROTE_TO_INPUT_0, Map.of(), "lines"))
                .isEqualTo("the lines written are not processed yet (input partition 0: nothing of 10 committed)");
        assertThat(Coverage.inputBehind(WROTE_TO_INPUT_0, Map.of(input0, 9L), "lines")).contains("9 of 10 committed");
        assertThat(Coverage.inputBehind(WROTE_TO_INPUT_0, Map.of(input0, 10L), "lines")).isNull();
    }

    @Test
    void shouldLetOnlyAnActiveCopyCoverByItsPosition() {
        assertThat(Coverage.appliedByPosition(Copy.Kind.ACTIVE, 99, 100)).as("the record at target-1 applied").isTrue();
        assertThat(Coverage.appliedByPosition(Copy.Kind.ACTIVE, 98, 100)).isFalse();
        assertThat(Coverage.appliedByPosition(Copy.Kind.STANDBY, 99, 100)).as("a standby waits for the commit").isFalse();
        assertThat(Coverage.appliedByPosition(Copy.Kind.RESTORING, -1, 0)).as("nothing to apply").isTrue();
    }

    @Test
    void shouldCountTheRecordsAnActiveCopyHasToGoUntilTheGroupCommitsThem() {
        assertThat(Coverage.activeBehind(95, -1, 90L, 100))
                .isEqualTo("the counts of the lines are not applied yet (4 records to go)");
        assertThat(Coverage.activeBehind(95, 98, null, 100)).as("the task committed past its position").contains("(2 records to go)");
        assertThat(Coverage.activeBehind(95, -1, 100L, 100)).isNull();
    }

    @Test
    void shouldMakeAStandbyWaitForTheCommitAndThenTheChangelog() {
        assertThat(Coverage.standbyCommitBehind(null, 100)).isEqualTo("the counts of the lines are not committed yet");
        assertThat(Coverage.standbyCommitBehind(99L, 100)).isNotNull();
        assertThat(Coverage.standbyCommitBehind(100L, 100)).isNull();

        assertThat(Coverage.changelogBehind(-1, 500)).isEqualTo("the counts of the lines are not in the changelog yet");
        assertThat(Coverage.changelogBehind(51, 47)).isEqualTo("this copy is 3 changelog records behind the lines written");
        assertThat(Coverage.changelogBehind(51, 50)).as("the last commit marker is never applied").isNull();
    }

    @Test
    void shouldTakeTheChangelogTargetOnlyOnceTheLastStableOffsetHasPassedTheEnd() {
        assertThat(Coverage.changelogTarget(50, 49)).isEqualTo(-1);
        assertThat(Coverage.changelogTarget(50, 50)).isEqualTo(50);
        assertThat(Coverage.changelogTarget(50, 53)).isEqualTo(53);
    }

    @Test
    void shouldHoldAnObserverToWhereAnObserverWasReadInTheSameTopic() {
        ConsistencyToken observed = new ConsistencyToken(Map.of(), Set.of(), Map.of(), Map.of(2, 30L), Map.of());

        assertThat(Coverage.observerReadBehind(observed, false, 2, 25)).isEqualTo("this observer is 5 records behind a read already made");
        assertThat(Coverage.observerReadBehind(observed, false, 2, 30)).isNull();
        assertThat(Coverage.observerReadBehind(observed, true, 2, 0)).as("the windows topic names no read").isNull();
    }

    @Test
    void shouldMakeAnObserverWaitForCommitsOnlyForFactsOfOtherCopies() {
        ConsistencyToken observed = new ConsistencyToken(Map.of(), Set.of(), Map.of(), Map.of(2, 30L), Map.of());

        assertThat(Coverage.observerAwaitsCommits(observed, false, 2)).as("same topic: compared directly").isFalse();
        assertThat(Coverage.observerAwaitsCommits(observed, true, 2)).as("the other output topic").isTrue();
        assertThat(Coverage.observerAwaitsCommits(SAW_PARTITION_1_AT_40, false, 1)).as("a word-count position").isTrue();
        assertThat(Coverage.observerAwaitsCommits(WROTE_TO_INPUT_0, false, 1)).as("writes touching it").isTrue();
        assertThat(Coverage.observerAwaitsCommits(WROTE_TO_INPUT_0, false, 0)).as("writes elsewhere").isFalse();
    }

    @Test
    void shouldCoverAnOutputPartitionOnceTheObserverReachesItsEnd() {
        assertThat(Coverage.repartitionBehind(null, 1)).isEqualTo("the counts read at a word-count instance are not committed yet");
        assertThat(Coverage.repartitionBehind(null, 0)).isNull();
        assertThat(Coverage.repartitionBehind(7L, 7)).isNull();

        assertThat(Coverage.outputBehind(10, 12, "counts")).isEqualTo("this observer has 2 records of counts to apply");
        assertThat(Coverage.outputBehind(12, 12, "counts")).isNull();
    }
}
