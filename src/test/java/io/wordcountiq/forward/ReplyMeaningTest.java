package io.wordcountiq.forward;

import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What one reply does to the walk: settle it, keep it, or move on with what it meant. */
class ReplyMeaningTest {

    private static final HostInfo OWNER = new HostInfo("wc-1", 8080);

    @Test
    void shouldTakeAProxysGatewayErrorAsAHostThatCouldNotBeReached() {
        assertThat(resultOf(answered(502, false, Map.of(), ""))).isEqualTo(Result.REFUSED);
        assertThat(resultOf(answered(503, false, Map.of(), ""))).isEqualTo(Result.REFUSED);
        assertThat(resultOf(answered(504, false, Map.of(), ""))).isEqualTo(Result.TIMEOUT);
    }

    @Test
    void shouldTellAFailedCallByWhatWentWrong() {
        assertThat(resultOf(new PeerReply.Failed("wc-1:8080", PeerReply.Failure.TIMEOUT, "slow", 1.0))).isEqualTo(Result.TIMEOUT);
        assertThat(resultOf(new PeerReply.Failed("wc-1:8080", PeerReply.Failure.REFUSED, "down", 1.0))).isEqualTo(Result.REFUSED);
        for (PeerReply.Failure other : PeerReply.Failure.values()) {
            if (other != PeerReply.Failure.TIMEOUT && other != PeerReply.Failure.REFUSED) {
                assertThat(resultOf(new PeerReply.Failed("wc-1:8080", other, "?", 1.0))).as(other.name())
                        .isEqualTo(Result.FAILED);
            }
        }
    }

    @Test
    void shouldKeepTheReasonAnInstanceGaveForItsOwn503() {
        ForwardWalk walk = asked();
        ReplyMeaning.apply(walk, answered(503, true, Map.of(), "{\"status\":503,\"error\":\"Kafka Streams is REBALANCING\"}"));

        assertThat(walk.tried().get(0).reason()).isEqualTo("Kafka Streams is REBALANCING");
        assertThat(ReplyMeaning.reason("not json")).isNull();
        assertThat(ReplyMeaning.reason("{\"error\":42}")).isNull();
    }

    @Test
    void shouldSettleOnAnAnswerRelayingTheApisHeadersOnly() {
        ForwardWalk walk = asked();
        ReplyMeaning.apply(walk, answered(200, true, Map.of(Headers.COPY, "active", "Set-Cookie", "x"), "{\"value\":1}"));

        Relayed answer = (Relayed) walk.answer();
        assertThat(answer.body()).isEqualTo("{\"value\":1}");
        assertThat(answer.headers()).containsKey(Headers.COPY).doesNotContainKey("Set-Cookie");
    }

    @Test
    void shouldKeepAnAnswerFromACopyThatMayLagWithoutSettling() {
        ForwardWalk walk = asked();
        ReplyMeaning.apply(walk, answered(200, true, Map.of(Headers.COPY, "restoring"), "{\"value\":1}"));

        assertThat(walk.answer()).isNull();
        assertThat(walk.lastResort()).isInstanceOf(Relayed.class);
        assertThat(walk.tried()).extracting(ForwardWalk.Tried::result).containsExactly(Result.PROVISIONAL);
    }

    private static Result resultOf(PeerReply reply) {
        ForwardWalk walk = asked();
        ReplyMeaning.apply(walk, reply);
        return walk.tried().get(0).result();
    }

    private static ForwardWalk asked() {
        ForwardWalk walk = new ForwardWalk(new KeyRequest("word-count", "hello"),
                Placement.of(new KeyQueryMetadata(OWNER, Set.of(), 2), new HostInfo("wc-0", 8080)), List.of(OWNER),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        walk.advance();
        return walk;
    }

    private static PeerReply.Answered answered(int status, boolean fromInstance, Map<String, String> headers, String body) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/json");
        if (fromInstance) {
            all.put(Headers.SERVED_BY, "wc-1:8080");
        }
        return new PeerReply.Answered("wc-1:8080", status, all, body.getBytes(StandardCharsets.UTF_8), null, 1.0);
    }
}
