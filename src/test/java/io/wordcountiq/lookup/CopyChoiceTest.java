package io.wordcountiq.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.lookup.CopyChoice.Step;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Which copy here answers a key lookup, and when its read settles the lookup. */
class CopyChoiceTest {

    private static final HostInfo SELF = new HostInfo("self", 8080);
    private static final HostInfo PEER = new HostInfo("peer", 8080);
    private static final ConsistencyToken TOKEN = new ConsistencyToken(Map.of(), Set.of(), Map.of(0, 5L));

    private static final Placement ACTIVE_HERE = Placement.of(new KeyQueryMetadata(SELF, Set.of(PEER), 0), SELF);
    private static final Placement STANDBY_HERE = Placement.of(new KeyQueryMetadata(PEER, Set.of(SELF), 0), SELF);
    private static final Placement ELSEWHERE = Placement.of(new KeyQueryMetadata(PEER, Set.of(), 0), SELF);

    private static KeyRequest client(ConsistencyToken token, Long maxLag) {
        return new KeyRequest("word-count", "hello", false, token, maxLag);
    }

    private static KeyRequest peer(ConsistencyToken token) {
        return new KeyRequest("word-count", "hello", true, token, null);
    }

    @Test
    void shouldReadTheActiveCopyHereAndCatchUpWithAToken() {
        assertThat(CopyChoice.step(ACTIVE_HERE, client(ConsistencyToken.NONE, null))).isEqualTo(Step.READ_HERE);
        assertThat(CopyChoice.step(ACTIVE_HERE, client(TOKEN, null))).isEqualTo(Step.CATCH_UP);
    }

    @Test
    void shouldForwardAClientWhoseKeyOnlyHasAStandbyHereUnlessItStatesHowFresh() {
        assertThat(CopyChoice.step(STANDBY_HERE, client(ConsistencyToken.NONE, null))).isEqualTo(Step.FORWARD);
        assertThat(CopyChoice.step(STANDBY_HERE, client(ConsistencyToken.NONE, 10L))).isEqualTo(Step.READ_HERE);
        assertThat(CopyChoice.step(STANDBY_HERE, client(TOKEN, null))).isEqualTo(Step.CATCH_UP);
        assertThat(CopyChoice.step(ELSEWHERE, client(TOKEN, 10L))).isEqualTo(Step.FORWARD);
    }

    @Test
    void shouldAnswerAPeerFromAStandbyHereOrSayNoCopyIsHere() {
        assertThat(CopyChoice.step(STANDBY_HERE, peer(ConsistencyToken.NONE))).isEqualTo(Step.READ_HERE);
        assertThat(CopyChoice.step(STANDBY_HERE, peer(TOKEN))).isEqualTo(Step.CATCH_UP);
        assertThat(CopyChoice.step(ELSEWHERE, peer(ConsistencyToken.NONE))).isEqualTo(Step.NOT_HOSTED);
    }

    @Test
    void shouldLookAtTheOwnStandbyOnlyOnceForAClient() {
        assertThat(CopyChoice.looksOnce(client(TOKEN, null), STANDBY_HERE)).isTrue();
        assertThat(CopyChoice.looksOnce(peer(TOKEN), STANDBY_HERE)).isFalse();
        assertThat(CopyChoice.looksOnce(client(TOKEN, null), ACTIVE_HERE)).isFalse();
    }

    @Test
    void shouldSettleAClientOnlyWithTheActiveValueOrAnAuthoritativeAbsence() {
        KeyRequest plain = client(ConsistencyToken.NONE, null);

        assertThat(CopyChoice.settles(new Found("{}", Copy.ACTIVE), plain)).isTrue();
        assertThat(CopyChoice.settles(new Found("{}", Copy.RESTORING), plain)).isFalse();
        assertThat(CopyChoice.settles(new Absent("hello", Copy.standby(1L)), plain)).as("a caught-up standby").isTrue();
        assertThat(CopyChoice.settles(new Absent("hello", Copy.standby(50L)), plain)).isFalse();
        assertThat(CopyChoice.settles(new Found("{}", Copy.standby(50L)), client(ConsistencyToken.NONE, 100L)))
                .as("a copy found fresh enough for maxLag").isTrue();
        assertThat(CopyChoice.settles(new Unavailable("no"), client(TOKEN, null))).isFalse();
    }

    @Test
    void shouldSendAnUnsettledClientReadOnToTheOtherHolders() {
        QueryResult restoring = new Found("{}", Copy.RESTORING);

        assertThat(CopyChoice.settledHere(client(ConsistencyToken.NONE, null), ACTIVE_HERE, restoring))
                .isEqualTo(new NotLocal(client(ConsistencyToken.NONE, null), ACTIVE_HERE));
        assertThat(CopyChoice.settledHere(peer(ConsistencyToken.NONE), ACTIVE_HERE, restoring))
                .as("a peer's read is answered here or not at all").isSameAs(restoring);
    }

    @Test
    void shouldNotAskOnWhenTheOwnerItselfDoesNotCoverTheTokenInTime() {
        Unavailable late = new Unavailable("this copy does not cover X-IQ-Token yet");

        assertThat(CopyChoice.afterCatchUp(client(TOKEN, null), ACTIVE_HERE, late)).isSameAs(late);
        assertThat(CopyChoice.afterCatchUp(client(TOKEN, null), STANDBY_HERE, late)).isInstanceOf(NotLocal.class);
    }

    @Test
    void shouldRefuseARestoringCopyOrAStandbyBeyondMaxLag() {
        KeyRequest maxLag10 = client(ConsistencyToken.NONE, 10L);

        assertThat(CopyChoice.beyondMaxLag(maxLag10, Copy.RESTORING)).isEqualTo(new Unavailable(
                "this copy is restoring: how far behind it is is not known, and maxLag=10 asks"));
        assertThat(CopyChoice.beyondMaxLag(maxLag10, Copy.standby(11L))).isEqualTo(new Unavailable(
                "this standby copy is 11 records behind, more than maxLag=10"));
        assertThat(CopyChoice.beyondMaxLag(maxLag10, Copy.standby(null))).isEqualTo(new Unavailable(
                "this standby copy is an unknown number of records behind, more than maxLag=10"));
        assertThat(CopyChoice.beyondMaxLag(maxLag10, Copy.standby(10L))).isNull();
        assertThat(CopyChoice.beyondMaxLag(client(ConsistencyToken.NONE, null), Copy.RESTORING)).isNull();
    }
}
