package io.wordcountiq.forward;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One request's walk over the key's holders, without a route: rounds, the deadline and the answers kept. */
class ForwardWalkTest {

    private static final HostInfo OWNER = new HostInfo("wc-1", 8080);
    private static final HostInfo STANDBY = new HostInfo("wc-2", 8080);
    private static final Placement ELSEWHERE = Placement.of(new KeyQueryMetadata(OWNER, Set.of(STANDBY), 2),
            new HostInfo("wc-0", 8080));

    @Test
    void shouldAskEachRecipientOnceInOrderAndRecordWhatCameOfIt() {
        ForwardWalk walk = walk(List.of(OWNER, STANDBY), 30);
        long now = System.nanoTime();

        assertThat(walk.advance()).isEqualTo(OWNER);
        walk.record(Result.REFUSED, null);
        assertThat(walk.hasNext(now)).isTrue();
        assertThat(walk.advance()).isEqualTo(STANDBY);
        walk.record(Result.UNAVAILABLE, 503, "restoring");

        assertThat(walk.hasNext(now)).as("every holder of the round was asked").isFalse();
        assertThat(walk.anotherRound(now)).as("nothing settled it and time is left").isTrue();
        assertThat(walk.tried()).extracting(ForwardWalk.Tried::host, ForwardWalk.Tried::result, ForwardWalk.Tried::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("wc-1:8080", Result.REFUSED, null),
                        org.assertj.core.groups.Tuple.tuple("wc-2:8080", Result.UNAVAILABLE, "restoring"));
        assertThat(walk.anyTried(Result.REFUSED)).isTrue();
        assertThat(walk.anyTried(Result.TIMEOUT)).isFalse();
    }

    @Test
    void shouldStopAskingOnceAnAnswerSettlesTheWalk() {
        ForwardWalk walk = walk(List.of(OWNER, STANDBY), 30);
        walk.advance();
        Relayed answer = relayed(200);
        walk.settle(answer);

        long now = System.nanoTime();
        assertThat(walk.hasNext(now)).isFalse();
        assertThat(walk.anotherRound(now)).isFalse();
        assertThat(walk.getPauseMs()).as("no pause once settled").isZero();
        assertThat(walk.lastResort()).isSameAs(answer);
        assertThat(walk.tried()).extracting(ForwardWalk.Tried::result).containsExactly(Result.REPLIED);
    }

    @Test
    void shouldNeitherAskNorGoRoundAgainOnceTheDeadlinePassed() {
        ForwardWalk walk = walk(List.of(OWNER), -1);

        assertThat(walk.hasNext(System.nanoTime())).isFalse();
        assertThat(walk.anotherRound(System.nanoTime())).isFalse();
        assertThat(walk.getPauseMs()).isZero();
    }

    @Test
    void shouldPauseLongerEachRoundAndCountTheRounds() {
        ForwardWalk walk = walk(List.of(OWNER), 30);
        long first = walk.getPauseMs();
        walk.newRound(ELSEWHERE, List.of(STANDBY));

        assertThat(first).isPositive();
        assertThat(walk.getPauseMs()).isGreaterThan(first);
        assertThat(walk.rounds()).isEqualTo(2);
        assertThat(walk.advance()).as("the new round's recipients, from the first").isEqualTo(STANDBY);
    }

    @Test
    void shouldSettleAtTheRoundsEndOnAStaleAnswerOnlyFromACopyThatSaysHowStaleItIs() {
        ForwardWalk unknownLag = walk(List.of(STANDBY), 30);
        unknownLag.keepProvisional(relayed(200), Copy.standby(null));
        assertThat(unknownLag.settleProvisional(System.nanoTime())).as("another round fits").isFalse();
        assertThat(unknownLag.answer()).isNull();
        assertThat(unknownLag.lastResort()).as("kept for the deadline").isNotNull();

        ForwardWalk knownLag = walk(List.of(STANDBY), 30);
        knownLag.keepProvisional(relayed(200), Copy.standby(500L));
        assertThat(knownLag.settleProvisional(System.nanoTime())).isTrue();
        assertThat(knownLag.answer()).isNotNull();
    }

    @Test
    void shouldSettleOnAnyStaleAnswerWhenNoOtherRoundFitsBeforeTheDeadline() {
        ForwardWalk walk = walk(List.of(STANDBY), 0);
        walk.keepProvisional(relayed(200), Copy.standby(null));

        assertThat(walk.settleProvisional(System.nanoTime())).isTrue();
    }

    @Test
    void shouldKeepTheFirstStaleAnswerUnlessALaterOneMayAnswerAtTheRoundsEnd() {
        ForwardWalk walk = walk(List.of(OWNER, STANDBY), 30);
        QueryResult unknown = relayed(200);
        QueryResult restoring = relayed(200);
        QueryResult another = relayed(200);
        walk.keepProvisional(unknown, Copy.standby(null));
        walk.keepProvisional(restoring, Copy.RESTORING);
        walk.keepProvisional(another, Copy.standby(3L));

        assertThat(walk.lastResort()).isSameAs(restoring);
    }

    @Test
    void shouldKnowWhetherItEverHadSomebodyToAsk() {
        assertThat(walk(List.of(), 30).everHadRecipients()).isFalse();
        ForwardWalk walk = walk(List.of(OWNER), 30);
        walk.advance();
        walk.record(Result.REFUSED, null);
        walk.newRound(ELSEWHERE, List.of());
        assertThat(walk.everHadRecipients()).as("a host was tried in an earlier round").isTrue();
    }

    private static ForwardWalk walk(List<HostInfo> recipients, long secondsLeft) {
        return new ForwardWalk(new KeyRequest("word-count", "hello"), ELSEWHERE, recipients,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(secondsLeft));
    }

    private static Relayed relayed(int status) {
        return new Relayed(status, "{}", Map.of());
    }
}
