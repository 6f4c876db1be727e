package io.wordcountiq.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.Placement.Decision;
import io.wordcountiq.model.Placement.Role;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final HostInfo SELF = new HostInfo("wc-0", 8080);
    private static final HostInfo OTHER = new HostInfo("wc-1", 8080);
    private static final HostInfo THIRD = new HostInfo("wc-2", 8080);

    @Test
    void shouldTellActiveStandbyElsewhereAndUnknownApart() {
        assertThat(Placement.of(new KeyQueryMetadata(SELF, Set.of(OTHER), 1), SELF).role()).isEqualTo(Role.ACTIVE);
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(SELF), 1), SELF).role()).isEqualTo(Role.STANDBY);
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(THIRD), 1), SELF).role()).isEqualTo(Role.ELSEWHERE);
        assertThat(Placement.of(KeyQueryMetadata.NOT_AVAILABLE, SELF).role()).isEqualTo(Role.UNKNOWN);
        assertThat(Placement.of(null, SELF).role()).isEqualTo(Role.UNKNOWN);
    }

    @Test
    void shouldReadTheActiveCopyHereWhetherOrNotAPeerForwardedTheRequest() {
        Placement active = Placement.of(new KeyQueryMetadata(SELF, Set.of(), 0), SELF);

        assertThat(active.decide(false)).isEqualTo(Decision.READ_ACTIVE);
        assertThat(active.decide(true)).isEqualTo(Decision.READ_ACTIVE);
    }

    @Test
    void shouldForwardAClientsRequestUnlessTheActiveCopyIsHere() {
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(SELF), 0), SELF).decide(false)).isEqualTo(Decision.FORWARD);
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(), 0), SELF).decide(false)).isEqualTo(Decision.FORWARD);
        assertThat(Placement.of(KeyQueryMetadata.NOT_AVAILABLE, SELF).decide(false)).isEqualTo(Decision.FORWARD);
    }

    @Test
    void shouldAnswerAForwardedRequestFromAStandbyCopyOrNotAtAll() {
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(SELF), 0), SELF).decide(true)).isEqualTo(Decision.READ_STANDBY);
        assertThat(Placement.of(new KeyQueryMetadata(OTHER, Set.of(THIRD), 0), SELF).decide(true)).isEqualTo(Decision.NOT_HOSTED);
        assertThat(Placement.of(KeyQueryMetadata.NOT_AVAILABLE, SELF).decide(true)).isEqualTo(Decision.NOT_HOSTED);
    }
}
