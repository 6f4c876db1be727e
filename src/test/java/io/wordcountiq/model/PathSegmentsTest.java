package io.wordcountiq.model;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key travels in a URL as itself: every byte but RFC 3986's unreserved ones written as upper-case %XX. */
class PathSegmentsTest {

    @Test
    void shouldLeaveUnreservedCharactersAsTheyAre() {
        assertThat(PathSegments.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(PathSegments.encode("")).isEmpty();
    }

    @Test
    void shouldEncodeEveryReservedCharacter() {
        assertThat(PathSegments.encode("?")).isEqualTo("%3F");
        assertThat(PathSegments.encode("/")).isEqualTo("%2F");
        assertThat(PathSegments.encode("%")).isEqualTo("%25");
        assertThat(PathSegments.encode("+")).as("never left for a form decoder to take for a space").isEqualTo("%2B");
        assertThat(PathSegments.encode(" ")).isEqualTo("%20");
        assertThat(PathSegments.encode("#")).isEqualTo("%23");
        assertThat(PathSegments.encode("&=;")).isEqualTo("%26%3D%3B");
        assertThat(PathSegments.encode("q1/../../all")).isEqualTo("q1%2F..%2F..%2Fall");
        assertThat(PathSegments.encode("100%25")).as("an encoded-looking key is encoded again").isEqualTo("100%2525");
    }

    @Test
    void shouldEncodeTheUtf8BytesOfNonAsciiKeysInUpperCase() {
        assertThat(PathSegments.encode("é")).isEqualTo("%C3%A9");
        assertThat(PathSegments.encode("e\u0301")).as("a combining mark is kept, not composed").isEqualTo("e%CC%81");
        assertThat(PathSegments.encode("日本")).isEqualTo("%E6%97%A5%E6%9C%AC");
        assertThat(PathSegments.encode("\uD83D\uDE00")).as("outside the BMP: four bytes").isEqualTo("%F0%9F%98%80");
        assertThat(PathSegments.encode("a\u200db")).isEqualTo("a%E2%80%8Db");
        assertThat(PathSegments.encode("ab\u00ff")).as("the unreserved start is kept").isEqualTo("ab%C3%BF");
    }

    @Test
    void shouldDecodeBackToTheKeyAsAPathSegmentAndAsAQueryValue() {
        for (String key : List.of("alpha?zzz", "q1/../../all", "日本語", "ﬀ", "e\u0301", "100%", "a#b", "a+b", "a b",
                "\uD83D\uDE00", "~x.y_z-")) {
            String encoded = PathSegments.encode(key);
            assertThat(encoded).as(key).matches("[A-Za-z0-9._~%-]*");
            assertThat(URI.create("http://h/" + encoded).getPath()).as(key).isEqualTo("/" + key);
            assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).as(key).isEqualTo(key);
        }
    }
}
