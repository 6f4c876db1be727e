package io.wordcountiq.wire;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardMarkerTest {

    private static final String PATH = "/state/keyvalue/word-count/hello";
    private static final String SECRET = "a-shared-secret-of-32-characters";
    private static final String B = "wc-1:8080";

    /** A mark made at instance A for instance B, checked by B. */
    private final ForwardMarker a = new ForwardMarker(SECRET, "wc-0:8080");

    private static ForwardMarker at(String self) {
        return new ForwardMarker(SECRET, self);
    }

    @Test
    void shouldAcceptAMarkMadeUnderTheSharedSecretForThisVeryRequestAtThisInstance() {
        long now = 1_000_000_000L;
        String mark = a.sign(B, "GET", PATH, "limit=10", now);

        assertThat(at(B).verify(mark, "GET", PATH, "limit=10", now + 1000)).isTrue();
    }

    @Test
    void shouldBeWorthNothingOnAnotherRequestOrAtAnotherInstance() {
        long now = 1_000_000_000L;
        String mark = a.sign(B, "GET", PATH, null, now);

        assertThat(at(B).verify(mark, "GET", "/state/keyvalues/word-count/all", null, now)).as("another path").isFalse();
        assertThat(at(B).verify(mark, "GET", PATH, "strict=true", now)).as("another query").isFalse();
        assertThat(at(B).verify(mark, "POST", PATH, null, now)).as("another method").isFalse();
        assertThat(at("wc-2:8080").verify(mark, "GET", PATH, null, now)).as("another instance").isFalse();
    }

    @Test
    void shouldTakeEachMarkOnce() {
        long now = 1_000_000_000L;
        ForwardMarker b = at(B);
        String mark = a.sign(B, "GET", PATH, null, now);

        assertThat(b.verify(mark, "GET", PATH, null, now)).isTrue();
        assertThat(b.verify(mark, "GET", PATH, null, now + 10)).as("a replay while still fresh").isFalse();
        assertThat(b.verify(mark, "GET", PATH, null, now + ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS))
                .as("a replay at the end of its window").isFalse();
        assertThat(b.verify(a.sign(B, "GET", PATH, null, now), "GET", PATH, null, now)).as("a new mark").isTrue();
    }

    @Test
    void shouldIgnoreForgedExpiredOrForeignMarks() {
        long now = 1_000_000_000L;
        String good = a.sign(B, "GET", PATH, null, now);
        assertThat(at(B).verify("1", "GET", PATH, null, now)).isFalse();
        assertThat(at(B).verify(null, "GET", PATH, null, now)).isFalse();
        assertThat(at(B).verify(good.substring(0, good.length() - 2) + "xx", "GET", PATH, null, now)).isFalse();
        assertThat(new ForwardMarker("another-secret-of-32-characters!", B).verify(good, "GET", PATH, null, now)).isFalse();
        String movedExpiry = "v3." + (now + 8_000) + good.substring(good.indexOf('.', 3));
        assertThat(at(B).verify(movedExpiry, "GET", PATH, null, now)).isFalse();
    }

    @Test
    void shouldAcceptAMarkForAtMostTenSecondsIncludingClockSkew() {
        long now = 1_000_000_000L;

        assertThat(at(B).verify(a.sign(B, "GET", PATH, null, now), "GET", PATH, null,
                now + ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS)).isTrue();
        assertThat(at(B).verify(a.sign(B, "GET", PATH, null, now), "GET", PATH, null,
                now + ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS + 1)).isFalse();
        assertThat(ForwardMarker.VALIDITY_MS + ForwardMarker.SKEW_MS).isLessThanOrEqualTo(10_000);
        assertThat(at(B).verify(a.sign(B, "GET", PATH, null, now + 60_000), "GET", PATH, null, now))
                .as("a mark from the future").isFalse();
    }

    @Test
    void shouldAcceptThePreviousSecretDuringARotation() {
        long now = 1_000_000_000L;
        ForwardMarker old = new ForwardMarker("the-old-secret-of-32-characters!", "wc-0:8080");
        ForwardMarker rotating = new ForwardMarker(List.of("the-new-secret-of-32-characters!",
                "the-old-secret-of-32-characters!"), B);
        ForwardMarker notYetRotated = new ForwardMarker("the-old-secret-of-32-characters!", B);
        ForwardMarker rotated = new ForwardMarker("the-new-secret-of-32-characters!", B);

        assertThat(rotating.verify(old.sign(B, "GET", PATH, null, now), "GET", PATH, null, now))
                .as("old marks during the rotation").isTrue();
        assertThat(notYetRotated.verify(rotating.sign(B, "GET", PATH, null, now), "GET", PATH, null, now))
                .as("an instance not yet rotated refuses the new mark: roll out the new secret as previous first").isFalse();
        assertThat(rotated.verify(rotating.sign(B, "GET", PATH, null, now), "GET", PATH, null, now)).isTrue();
        assertThat(rotated.verify(old.sign(B, "GET", PATH, null, now), "GET", PATH, null, now)).as("after the rotation").isFalse();
    }
}
