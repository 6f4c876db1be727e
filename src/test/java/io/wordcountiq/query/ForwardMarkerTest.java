package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardMarkerTest {

    private static final String PATH = "/state/keyvalue/word-count/hello";
    private final ForwardMarker marker = new ForwardMarker("a-shared-secret-of-32-characters");

    @Test
    void shouldAcceptAMarkMadeUnderTheSharedSecretForThisVeryRequest() {
        long now = 1_000_000_000L;
        String mark = marker.sign("GET", PATH, "limit=10", now);

        assertThat(marker.verify(mark, "GET", PATH, "limit=10", now + 1000)).isTrue();
        assertThat(new ForwardMarker("a-shared-secret-of-32-characters").verify(mark, "GET", PATH, "limit=10", now)).isTrue();
    }

    @Test
    void shouldBeWorthNothingOnAnotherRequest() {
        long now = 1_000_000_000L;
        String mark = marker.sign("GET", PATH, null, now);

        assertThat(marker.verify(mark, "GET", "/state/keyvalues/word-count/all", null, now)).as("another path").isFalse();
        assertThat(marker.verify(mark, "GET", PATH, "strict=true", now)).as("another query").isFalse();
        assertThat(marker.verify(mark, "POST", PATH, null, now)).as("another method").isFalse();
    }

    @Test
    void shouldIgnoreForgedExpiredOrForeignMarks() {
        long now = 1_000_000_000L;
        String good = marker.sign("GET", PATH, null, now);
        assertThat(marker.verify("1", "GET", PATH, null, now)).isFalse();
        assertThat(marker.verify(null, "GET", PATH, null, now)).isFalse();
        assertThat(marker.verify(good.substring(0, good.length() - 2) + "xx", "GET", PATH, null, now)).isFalse();
        assertThat(new ForwardMarker("another-secret-of-32-characters!").verify(good, "GET", PATH, null, now)).isFalse();
        String movedExpiry = "v2." + (now + 20_000) + good.substring(good.lastIndexOf('.'));
        assertThat(marker.verify(movedExpiry, "GET", PATH, null, now)).isFalse();
    }

    @Test
    void shouldAcceptAMarkForAtMostSixtySecondsIncludingClockSkew() {
        long now = 1_000_000_000L;
        String mark = marker.sign("GET", PATH, null, now);

        assertThat(marker.verify(mark, "GET", PATH, null, now + ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS)).isTrue();
        assertThat(marker.verify(mark, "GET", PATH, null, now + ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS + 1)).isFalse();
        assertThat(ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS).isLessThanOrEqualTo(60_000);
        String fromTheFuture = "v2." + (now + 120_000) + mark.substring(mark.lastIndexOf('.'));
        assertThat(marker.verify(fromTheFuture, "GET", PATH, null, now)).isFalse();
    }

    @Test
    void shouldAcceptThePreviousSecretDuringARotation() {
        long now = 1_000_000_000L;
        ForwardMarker old = new ForwardMarker("the-old-secret-of-32-characters!");
        ForwardMarker rotating = new ForwardMarker(List.of("the-new-secret-of-32-characters!", "the-old-secret-of-32-characters!"));
        ForwardMarker rotated = new ForwardMarker("the-new-secret-of-32-characters!");

        assertThat(rotating.verify(old.sign("GET", PATH, null, now), "GET", PATH, null, now)).as("old marks during the rotation").isTrue();
        assertThat(old.verify(rotating.sign("GET", PATH, null, now), "GET", PATH, null, now))
                .as("an instance not yet rotated refuses the new mark: roll out the new secret as previous first").isFalse();
        assertThat(rotated.verify(rotating.sign("GET", PATH, null, now), "GET", PATH, null, now)).isTrue();
        assertThat(rotated.verify(old.sign("GET", PATH, null, now), "GET", PATH, null, now)).as("after the rotation").isFalse();
    }
}
