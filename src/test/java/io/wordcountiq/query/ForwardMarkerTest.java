package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardMarkerTest {

    private final ForwardMarker marker = new ForwardMarker("s3cret");

    @Test
    void shouldAcceptAMarkSignedWithTheSharedSecret() {
        long now = 1_000_000_000L;
        assertThat(marker.verify(marker.sign(now), now + 1000)).isTrue();
        assertThat(new ForwardMarker("s3cret").verify(marker.sign(now), now)).isTrue();
    }

    @Test
    void shouldIgnoreForgedExpiredOrForeignMarks() {
        long now = 1_000_000_000L;
        String good = marker.sign(now);
        assertThat(marker.verify("1", now)).isFalse();
        assertThat(marker.verify("true", now)).isFalse();
        assertThat(marker.verify(null, now)).isFalse();
        assertThat(marker.verify(good.substring(0, good.length() - 2) + "xx", now)).isFalse();
        assertThat(marker.verify(good, now + 3_600_000)).isFalse();
        assertThat(new ForwardMarker("other").verify(good, now)).isFalse();
        String forgedExpiry = (now + 200_000) + good.substring(good.indexOf('.'));
        assertThat(marker.verify(forgedExpiry, now)).isFalse();
    }

    @Test
    void shouldReuseOneTokenForAWhileAndThenRenewIt() {
        long now = 1_000_000_000L;
        String first = marker.sign(now);
        assertThat(marker.sign(now + 5_000)).isEqualTo(first);
        String renewed = marker.sign(now + 60_000);
        assertThat(renewed).isNotEqualTo(first);
        assertThat(marker.verify(renewed, now + 60_000)).isTrue();
    }
}
