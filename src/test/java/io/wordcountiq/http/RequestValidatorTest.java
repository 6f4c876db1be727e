package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(16);

    @Test
    void shouldTellUnknownStoresFromStoresOfTheWrongType() {
        assertThatThrownBy(() -> validator.keyValueStore("nope")).extracting(e -> ((ApiError) e).status()).isEqualTo(404);
        assertThatThrownBy(() -> validator.keyValueStore("windowed-word-count")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> validator.windowStore("word-count")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
    }

    @Test
    void shouldRejectOverlongEmptyOrControlCharacterKeys() {
        assertThatThrownBy(() -> validator.key("x".repeat(17), "key")).extracting(e -> ((ApiError) e).status()).isEqualTo(414);
        assertThatThrownBy(() -> validator.key("", "key")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> validator.key("a\r\nb", "key")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> validator.key("a\uFFFDb", "key")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> validator.key("a\uD800", "key")).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThat(validator.key("grüße", "key")).isEqualTo("grüße");
    }

    @Test
    void shouldAcceptOnlyNonNegativeEpochMillis() {
        assertThat(validator.epochMillis("0", "from")).isZero();
        assertThat(validator.epochMillis("9223372036854775807", "to")).isEqualTo(Long.MAX_VALUE);
        for (String bad : new String[] {"-1", "abc", "1e9", "", "99999999999999999999", " 1"}) {
            assertThatThrownBy(() -> validator.epochMillis(bad, "from")).as(bad).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
        assertThatThrownBy(() -> validator.range("from", 5L, "to", 1L)).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
    }
}
