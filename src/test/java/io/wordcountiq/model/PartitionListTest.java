package io.wordcountiq.model;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A set of partition numbers on the wire: 1,3,5, ascending; anything else is refused. */
class PartitionListTest {

    @Test
    void shouldFormatInAscendingOrder() {
        assertThat(PartitionList.format(Set.of(5, 1, 3))).isEqualTo("1,3,5");
        assertThat(PartitionList.format(Set.of(0))).isEqualTo("0");
        assertThat(PartitionList.format(Set.of())).isEmpty();
    }

    @Test
    void shouldReadBackWhatItWrote() {
        Set<Integer> partitions = Set.of(0, 7, 11, 999_999);

        assertThat(PartitionList.parse(PartitionList.format(partitions))).containsExactly(0, 7, 11, 999_999);
    }

    @Test
    void shouldParseNoListAsNoPartitions() {
        assertThat(PartitionList.parse(null)).isEmpty();
        assertThat(PartitionList.parse("")).isEmpty();
    }

    @Test
    void shouldParseInAnyOrderAndKeepEachNumberOnce() {
        assertThat(PartitionList.parse("3,1,3")).containsExactly(1, 3);
        assertThat(PartitionList.parse("007")).containsExactly(7);
    }

    @Test
    void shouldRefuseAnythingButPartitionNumbers() {
        for (String bad : new String[] {",", "1,", ",1", "1,,2", "-1", "+1", "1 ", " 1", "a", "1.0", "1;2", "1234567",
                "٣"}) {
            assertThatThrownBy(() -> PartitionList.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldHoldAtMostMaxNumbers() {
        String max = IntStream.range(0, PartitionList.MAX).mapToObj(String::valueOf).collect(Collectors.joining(","));

        assertThat(PartitionList.parse(max)).hasSize(PartitionList.MAX);
        assertThatThrownBy(() -> PartitionList.parse(max + "," + PartitionList.MAX))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartitionList.parse(max + ",0")).as("a repeat counts too")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
