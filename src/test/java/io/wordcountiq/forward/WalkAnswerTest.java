package io.wordcountiq.forward;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client gets when the walk ends without an answer. */
class WalkAnswerTest {

    private static final HostInfo OWNER = new HostInfo("wc-1", 8080);

    @Test
    void shouldNameTheUnreachableHoldersWhenNoneWasLeftToAsk() {
        Failed failed = (Failed) WalkAnswer.of(walk(List.of(), 30), () -> Set.of("wc-1:8080"));

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).contains("can be reached from this instance");
        assertThat(failed.error().details()).isEqualTo(Map.of("tried", List.of(), "unreachable", Set.of("wc-1:8080")));
    }

    @Test
    void shouldSayTheDeadlinePassedWhenNobodyWasAsked() {
        Failed failed = (Failed) WalkAnswer.of(walk(List.of(OWNER), -1), Set::of);

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).isEqualTo("request deadline passed before any instance was asked");
    }

    @Test
    void shouldAnswer503NotA504WhenOneHostTimedOutAndAnotherCouldNotAnswerYet() {
        ForwardWalk walk = walk(List.of(OWNER, new HostInfo("wc-2", 8080)), 30);
        walk.advance();
        walk.record(Result.TIMEOUT, null);
        walk.advance();
        walk.record(Result.NOT_HOSTED, 421);

        Failed failed = (Failed) WalkAnswer.of(walk, Set::of);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).contains("state is moving between instances");
    }

    @Test
    void shouldDescribeEachHostTriedWithItsReasonWhenItGaveOne() {
        assertThat(WalkAnswer.describe(new ForwardWalk.Tried("wc-1:8080", Result.UNAVAILABLE, 503, "busy", 2.0)))
                .containsExactly(Map.entry("host", "wc-1:8080"), Map.entry("result", "unavailable"),
                        Map.entry("reason", "busy"));
        assertThat(WalkAnswer.describe(new ForwardWalk.Tried("wc-1:8080", Result.NOT_HOSTED, 421)))
                .containsExactly(Map.entry("host", "wc-1:8080"), Map.entry("result", "not_hosted"));
    }

    private static ForwardWalk walk(List<HostInfo> recipients, long secondsLeft) {
        return new ForwardWalk(new KeyRequest("word-count", "hello"),
                Placement.of(new KeyQueryMetadata(OWNER, Set.of(), 2), new HostInfo("wc-0", 8080)), recipients,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(secondsLeft));
    }
}
