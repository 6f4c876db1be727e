package io.wordcountiq.model;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An Idempotency-Key is 1 to 255 visible ASCII characters, neither quote nor backslash, its quotes removed. */
class IdempotencyKeyTest {

    @Test
    void shouldTakeOneTo255VisibleAsciiCharacters() {
        assertThat(IdempotencyKey.valid("a")).isTrue();
        assertThat(IdempotencyKey.valid("x".repeat(IdempotencyKey.MAX_LENGTH))).isTrue();
        assertThat(IdempotencyKey.valid("8e03978e-40d5-43e8-bc93-6894a57f9324")).isTrue();
        assertThat(IdempotencyKey.valid("!~{}[]:;=/?#%+")).as("every visible character but quote and backslash").isTrue();
    }

    @Test
    void shouldRefuseEmptyOverlongOrInvisibleKeys() {
        String overlong = "x".repeat(IdempotencyKey.MAX_LENGTH + 1);
        // Space (0x20), tab, DEL (0x7F), a line break, non-ASCII, a quote, a backslash.
        for (String bad : Arrays.asList(null, "", overlong, "a b", "a\tb", "a\u007fb", "a\r\nb", "clé", "a\"b", "a\\b")) {
            assertThat(IdempotencyKey.valid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void shouldRemoveTheQuotesOfAStructuredFieldStringOnly() {
        // header -> key; a lone quote is no pair
        Map<String, String> unquoted = Map.of("\"abc\"", "abc", "  \"abc\" ", "abc", "abc", "abc", "\"abc", "\"abc",
                "\"", "\"", "\"\"", "");
        unquoted.forEach((header, key) -> assertThat(IdempotencyKey.unquoted(header)).as(header).isEqualTo(key));
        assertThat(IdempotencyKey.valid(IdempotencyKey.unquoted("\"\""))).as("empty quotes are no key").isFalse();
    }

    @Test
    void shouldRefuseToBuildAnInvalidKey() {
        assertThatThrownBy(() -> new IdempotencyKey("a b", 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new IdempotencyKey("req-1", 42L).bodyHash()).isEqualTo(42L);
    }
}
