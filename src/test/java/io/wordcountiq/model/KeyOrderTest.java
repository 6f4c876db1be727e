package io.wordcountiq.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    @Test
    void shouldOrderKeysAsTheirUtf8BytesAsRocksDbDoes() {
        // U+FF5E (a BMP character above the surrogates) and U+1F600 (outside the BMP): UTF-16 order puts the emoji
        // first (its surrogate 0xD83D < 0xFF5E); UTF-8 byte order and code point order put it last.
        String fullwidthTilde = "\uFF5E";
        String emoji = new String(Character.toChars(0x1F600));
        List<String> keys = new ArrayList<>(List.of(emoji, fullwidthTilde, "b", "a", "ab", ""));

        keys.sort(KeyOrder.KEYS);

        assertThat(keys).containsExactly("", "a", "ab", "b", fullwidthTilde, emoji);
        assertThat(emoji.compareTo(fullwidthTilde)).as("String#compareTo disagrees").isNegative();
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        assertThat(keys).isEqualTo(byBytes);
    }

    @Test
    void shouldAdmitOnlyKeysInTheRangeAndAfterTheCursor() {
        StoreRequest.RangeRequest page = new StoreRequest.RangeRequest("word-count", "b", "d", false, 10, "b", false);

        assertThat(page.admits("b")).as("after is exclusive").isFalse();
        assertThat(page.admits("ba")).isTrue();
        assertThat(page.admits("d")).as("to is inclusive").isTrue();
        assertThat(page.admits("da")).isFalse();
        assertThat(page.lowerBound()).isEqualTo("b");
        assertThat(new StoreRequest.RangeRequest("word-count", "b", "d", false, 10, "a", false).lowerBound())
                .as("a cursor before from does not widen the range").isEqualTo("b");
        assertThat(new StoreRequest.RangeRequest("word-count", null, null, false, 10, "c", false).lowerBound())
                .isEqualTo("c");
    }
}
