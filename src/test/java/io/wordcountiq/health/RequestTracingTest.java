package io.wordcountiq.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTracingTest {

    @Test
    void shouldEscapeWhatCouldForgeOrBreakALogLine() {
        assertThat(RequestTracing.printable("/state/keyvalue/word-count/hello?maxLag=1")).isEqualTo(
                "/state/keyvalue/word-count/hello?maxLag=1");
        assertThat(RequestTracing.printable("/a\u001b[31mred\u0000\nINFO forged\u0085\u2028\u2029\\x"))
                .isEqualTo("/a\\u001b[31mred\\u0000\\u000aINFO forged\\u0085\\u2028\\u2029\\u005cx")
                .doesNotContain("\n", "\u001b", "\u0085", "\u2028");
        assertThat(RequestTracing.printable("/日本語")).isEqualTo("/日本語");
    }
}
