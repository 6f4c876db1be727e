package io.wordcountiq.model;

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
        assertThat(IdempotencyKey.valid(null)).isFalse();
        assertThat(IdempotencyKey.valid("")).isFalse();
        assertThat(IdempotencyKey.valid("x".repeat(IdempotencyKey.MAX_LENGTH + 1))).isFalse();
        assertThat(IdempotencyKey.valid("a b")).as("space, 0x20").isFalse();
        assertThat(IdempotencyKey.valid("a\tb")).isFalse();
        assertThat(IdempotencyKey.valid("a\u007fb")).as("DEL, 0x7F").isFalse();
        assertThat(IdempotencyKey.valid("a\r\nb")).isFalse();
        assertThat(IdempotencyKey.valid("clé")).as("not ASCII").isFalse();
        assertThat(IdempotencyKey.valid("a\"b")).isFalse();
        assertThat(IdempotencyKey.valid("a\\b")).isFalse();
    }

    @Test
    void shouldRemoveTheQuotesOfAStructuredFieldStringOnly() {
        assertThat(IdempotencyKey.unquoted("\"abc\"")).isEqualTo("abc");
        assertThat(IdempotencyKey.unquoted("  \"abc\" ")).isEqualTo("abc");
        assertThat(IdempotencyKey.unquoted("abc")).isEqualTo("abc");
        assertThat(IdempotencyKey.unquoted("\"abc")).as("one quote is no pair").isEqualTo("\"abc");
        assertThat(IdempotencyKey.unquoted("\"")).isEqualTo("\"");
        assertThat(IdempotencyKey.unquoted("\"\"")).isEmpty();
        assertThat(IdempotencyKey.valid(IdempotencyKey.unquoted("\"\""))).as("empty quotes are no key").isFalse();
    }

    @Test
    void shouldRefuseToBuildAnInvalidKey() {
        assertThatThrownBy(() -> new IdempotencyKey("a b", 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new IdempotencyKey("req-1", 42L).bodyHash()).isEqualTo(42L);
    }
}
