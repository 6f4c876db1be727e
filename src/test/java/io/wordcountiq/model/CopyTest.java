package io.wordcountiq.model;

import io.wordcountiq.model.Copy.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which copy answered and what its answer is worth: stale, caught up, authoritative for an absent key. */
class CopyTest {

    @Test
    void shouldCallOnlyRestoringActivesAndStandbysStale() {
        assertThat(Copy.ACTIVE.stale()).isFalse();
        assertThat(Copy.GLOBAL.stale()).isFalse();
        assertThat(Copy.RESTORING.stale()).isTrue();
        assertThat(Copy.standby(0L).stale()).as("even a caught-up standby").isTrue();
    }

    @Test
    void shouldCountAStandbyCaughtUpOnlyWithinTheCommitMarkersLag() {
        assertThat(Copy.ACTIVE.caughtUp()).isTrue();
        assertThat(Copy.GLOBAL.caughtUp()).isTrue();
        assertThat(Copy.RESTORING.caughtUp()).isFalse();
        assertThat(Copy.standby(0L).caughtUp()).isTrue();
        assertThat(Copy.standby(Copy.CAUGHT_UP_LAG).caughtUp()).isTrue();
        assertThat(Copy.standby(Copy.CAUGHT_UP_LAG + 1).caughtUp()).isFalse();
        assertThat(Copy.standby(null).caughtUp()).as("lag unknown").isFalse();
    }

    @Test
    void shouldLetOnlyACaughtUpCopySayAKeyDoesNotExist() {
        assertThat(Copy.ACTIVE.authoritative()).isTrue();
        assertThat(Copy.standby(1L).authoritative()).isTrue();
        assertThat(Copy.standby(2L).authoritative()).isFalse();
        assertThat(Copy.RESTORING.authoritative()).isFalse();
    }

    @Test
    void shouldReadBackTheHeadersItWrites() {
        for (Kind kind : Kind.values()) {
            Copy copy = new Copy(kind, 7L);
            assertThat(Copy.parse(copy.header(), "7")).isEqualTo(copy);
        }
        assertThat(Copy.standby(null).header()).isEqualTo("standby");
    }

    @Test
    void shouldReadHeadersLeniently() {
        assertThat(Copy.parse(" Standby ", " 12 ")).isEqualTo(Copy.standby(12L));
        assertThat(Copy.parse("standby", "many")).as("a lag that is no number is unknown").isEqualTo(Copy.standby(null));
        assertThat(Copy.parse("standby", null)).isEqualTo(Copy.standby(null));
        assertThat(Copy.parse(null, "3")).as("a reply that names no copy").isNull();
        assertThat(Copy.parse("replica", "3")).as("a copy this version does not know").isNull();
    }
}
