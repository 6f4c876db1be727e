package io.wordcountiq.model;

import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A typed read: the keys it admits, its canonical path, and what a hop for it carries. */
class StoreRequestTest {

    private static final ConsistencyToken TOKEN = ConsistencyToken.written(Map.of(0, 4L), Set.of(2));

    @Test
    void shouldAdmitKeysInsideTheInclusiveRangeAndAfterTheCursorOnly() {
        RangeRequest range = new RangeRequest("word-count", "b", "d", false, 10, "bb", false);

        assertThat(range.admits("b")).as("not after the cursor").isFalse();
        assertThat(range.admits("bb")).as("the cursor is exclusive").isFalse();
        assertThat(range.admits("bba")).isTrue();
        assertThat(range.admits("d")).as("to is inclusive").isTrue();
        assertThat(range.admits("da")).isFalse();
        assertThat(range.admits("a")).isFalse();
        RangeRequest all = new RangeRequest("word-count", null, null, false, null, null, false);
        assertThat(all.admits("")).isTrue();
        assertThat(all.admits("\uD83D\uDE00")).isTrue();
    }

    @Test
    void shouldAdmitInTheStoresOrderOfCodePoints() {
        // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 code unit.
        RangeRequest range = new RangeRequest("word-count", "\uFF5E", "\uD83D\uDE00", false, null, null, false);

        assertThat(range.admits("\uFFFD")).isTrue();
        assertThat(range.admits("\uD83D\uDE01")).isFalse();
    }

    @Test
    void shouldStartTheStoreReadAtTheLaterOfFromAndTheCursor() {
        assertThat(new RangeRequest("word-count", "b", "z", false, 5, "c", false).lowerBound()).isEqualTo("c");
        assertThat(new RangeRequest("word-count", "d", "z", false, 5, "c", false).lowerBound()).isEqualTo("d");
        assertThat(new RangeRequest("word-count", null, null, false, 5, "c", false).lowerBound()).isEqualTo("c");
        assertThat(new RangeRequest("word-count", "b", "z", false, null, null, false).lowerBound()).isEqualTo("b");
        assertThat(new RangeRequest("word-count", null, null, false, null, null, false).lowerBound()).isNull();
    }

    @Test
    void shouldEncodeEverySegmentOfThePath() {
        assertThat(new KeyRequest("word-count", "a/b?c").path()).isEqualTo("/state/keyvalue/word-count/a%2Fb%3Fc");
        assertThat(new WindowRequest("windowed-word-count", "é", 1, 2, false, ConsistencyToken.NONE, null).path())
                .isEqualTo("/state/windowed/windowed-word-count/%C3%A9/1/2");
        assertThat(new RangeRequest("word-count", null, null, false, null, null, false).path())
                .isEqualTo("/state/keyvalues/word-count/all");
        assertThat(new RangeRequest("word-count", "a b", "z+", false, null, null, false).path())
                .isEqualTo("/state/keyvalues/word-count/range/a%20b/z%2B");
    }

    @Test
    void shouldCarryOnlyMaxLagOnAKeysHop() {
        assertThat(new KeyRequest("word-count", "a", false, TOKEN, null).hopQuery()).as("the token travels as a header")
                .isNull();
        assertThat(new KeyRequest("word-count", "a", false, TOKEN, 9L).hopQuery()).isEqualTo("maxLag=9");
        assertThat(new WindowRequest("windowed-word-count", "a", 1, 2, false, TOKEN, 0L).hopQuery()).isEqualTo("maxLag=0");
    }

    @Test
    void shouldCarryAPartsPageLagAndPartitionsButNeverStrict() {
        assertThat(new RangeRequest("word-count", null, null, true, null, null, false).hopQuery()).isNull();
        assertThat(new RangeRequest("word-count", null, null, true, 5, null, false).hopQuery()).isEqualTo("limit=5");
        assertThat(new RangeRequest("word-count", null, null, false, 5, "a&b", false, TOKEN, 3L).hopQuery())
                .isEqualTo("limit=5&after=a%26b&maxLag=3");
        assertThat(new RangeRequest("word-count", null, null, false, null, null, false, TOKEN, 3L, Set.of(3, 1)).hopQuery())
                .isEqualTo("maxLag=3&partitions=1,3");
        assertThat(new RangeRequest("word-count", null, null, false, null, null, false, TOKEN, null, Set.of(2)).hopQuery())
                .isEqualTo("partitions=2");
        assertThat(new RangeRequest("word-count", null, null, false, null, "k", false).hopQuery())
                .as("a cursor belongs to a page only").isNull();
    }

    @Test
    void shouldStateFreshnessWithAMaxLagOrAToken() {
        assertThat(new KeyRequest("word-count", "a").statesFreshness()).isFalse();
        assertThat(new KeyRequest("word-count", "a", false, ConsistencyToken.NONE, 0L).statesFreshness()).isTrue();
        assertThat(new KeyRequest("word-count", "a", false, TOKEN, null).statesFreshness()).isTrue();
        assertThat(new RangeRequest("word-count", null, null, false, null, null, false, TOKEN, null).statesFreshness())
                .isTrue();
    }

    @Test
    void shouldKeepEverythingButWhereItIsAnsweredWhenMadeLocal() {
        KeyRequest key = new KeyRequest("word-count", "a", false, TOKEN, 4L);
        WindowRequest window = new WindowRequest("windowed-word-count", "a", 1, 2, false, TOKEN, 4L);

        assertThat(key.asLocalOnly()).isEqualTo(new KeyRequest("word-count", "a", true, TOKEN, 4L));
        assertThat(window.asLocalOnly()).isEqualTo(new WindowRequest("windowed-word-count", "a", 1, 2, true, TOKEN, 4L));
        RangeRequest part = new RangeRequest("word-count", "a", "z", true, 5, "b", false, TOKEN, 4L)
                .ofPartitions(new java.util.HashSet<>(Set.of(2, 0)));
        assertThat(part).isEqualTo(new RangeRequest("word-count", "a", "z", true, 5, "b", true, TOKEN, 4L, Set.of(0, 2)));
    }
}
