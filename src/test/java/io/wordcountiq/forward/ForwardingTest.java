package io.wordcountiq.forward;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The walk's decisions, one reply at a time: what a reply means, and what the client gets at the end. */
class ForwardingTest {

    private static final HostInfo SELF = new HostInfo("wc-0", 8080);
    private static final HostInfo OWNER = new HostInfo("wc-1", 8080);
    private static final HostInfo STANDBY = new HostInfo("wc-2", 8080);
    private static final HostInfo OTHER = new HostInfo("wc-3", 8080);
    private static final KeyRequest REQUEST = new KeyRequest("word-count", "hello");

    private final PeerHealth health = new PeerHealth(address -> "", System::currentTimeMillis);
    private final Forwarding forwarding = new Forwarding(null, null, new ForwardMarker("s", "wc-0:8080"), health,
            new Tokens(List.of("s")), 5_000);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldAddressEachRecipientInTurnFromTheTypedRequestWithAMarkAndAHopCount() {
        Exchange exchange = walking(List.of(OWNER, STANDBY));
        exchange.getMessage().setHeader("CamelHttpUri", "http://evil:1/");
        exchange.getMessage().setHeader("key", "steered");

        forwarding.address(exchange);

        PeerCall call = exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class);
        assertThat(call.address()).isEqualTo("wc-1:8080");
        assertThat(call.path()).isEqualTo("/state/keyvalue/word-count/hello");
        assertThat(call.headers()).containsOnlyKeys(Headers.FORWARDED, Headers.HOPS);
        failed(exchange, PeerReply.Failure.REFUSED);
        forwarding.address(exchange);
        assertThat(exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class).address()).isEqualTo("wc-2:8080");
    }

    @Test
    void shouldPercentEncodeEveryKeyInTheHopsPath() {
        for (String key : List.of("alpha?zzz", "q1/../../all", "日本語", "ﬀ", "a\u200db", "100%", "a#b", "a+b", "a b")) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(ExchangeProperties.WALK, new ForwardWalk(new KeyRequest("word-count", key), placedElsewhere(),
                    List.of(OWNER), System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
            forwarding.address(exchange);
            String path = exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class).path();
            String segment = path.substring("/state/keyvalue/word-count/".length());
            assertThat(segment).as(key).matches("[A-Za-z0-9._~%-]+");
            assertThat(java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(key);
        }
    }

    @Test
    void shouldRelayTheFirstAnswerWithTheApisHeadersOnly() {
        Exchange exchange = walking(List.of(OWNER, STANDBY));
        hop(exchange, 503, OWNER, Map.of());
        assertThat(forwarding.hasNext(exchange)).as("an instance's own 503: the next holder is asked").isTrue();
        hop(exchange, 200, STANDBY, Map.of(Headers.COPY, "standby", Headers.STALE, "true", Headers.LAG, "1"));

        assertThat(forwarding.hasNext(exchange)).as("an answer settles the walk").isFalse();
        Relayed relayed = (Relayed) forwarding.settle(exchange);
        assertThat(relayed.status()).isEqualTo(200);
        assertThat(relayed.headers()).containsOnlyKeys("Content-Type", Headers.SERVED_BY, Headers.COPY, Headers.STALE, Headers.LAG);
    }

    @Test
    void shouldTakeA404OnlyFromACopyThatKnows() {
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.ACTIVE, false)).isEqualTo(Result.REPLIED);
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.standby(1L), false)).isEqualTo(Result.REPLIED);
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.standby(40L), false)).isEqualTo(Result.NOT_FOUND);
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.standby(null), false)).isEqualTo(Result.NOT_FOUND);
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.RESTORING, false)).isEqualTo(Result.NOT_FOUND);
        assertThat(ReplyMeaning.classify(404, true, null, false)).as("an instance's 404 that names no copy").isEqualTo(Result.NOT_FOUND);
        assertThat(ReplyMeaning.classify(404, false, io.wordcountiq.model.Copy.ACTIVE, false)).as("an ingress's default backend")
                .isEqualTo(Result.NOT_FOUND);
    }

    @Test
    void shouldTakeAnyCopysAnswerWhenTheRequestSaidHowFreshItMustBe() {
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.standby(40L), true)).as("within maxLag")
                .isEqualTo(Result.REPLIED);
        assertThat(ReplyMeaning.classify(404, true, io.wordcountiq.model.Copy.standby(40L), true)).isEqualTo(Result.REPLIED);
        assertThat(ReplyMeaning.classify(503, true, io.wordcountiq.model.Copy.standby(40L), true)).isEqualTo(Result.UNAVAILABLE);
        assertThat(ReplyMeaning.classify(200, false, null, true)).as("not an instance: as without freshness")
                .isEqualTo(Result.REPLIED);
    }

    @Test
    void shouldMoveOnFromAHostThatHoldsNoCopyOrIsAProxysGatewayError() {
        assertThat(ReplyMeaning.classify(421, true, null, false)).isEqualTo(Result.NOT_HOSTED);
        assertThat(ReplyMeaning.classify(503, true, null, false)).isEqualTo(Result.UNAVAILABLE);
        assertThat(ReplyMeaning.classify(500, true, null, false)).isEqualTo(Result.FAILED);
        assertThat(ReplyMeaning.classify(400, true, null, false)).isEqualTo(Result.REPLIED);

        Exchange proxied = walking(List.of(OWNER, STANDBY));
        hop(proxied, 502, null, Map.of());
        assertThat(forwarding.hasNext(proxied)).isTrue();
        assertThat(health.reachable("wc-1:8080")).as("a dead host is skipped until it answers again").isFalse();
    }

    @Test
    void shouldPreferACaughtUpCopyToOneStillRestoringAndFallBackOnItLast() {
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.RESTORING, false)).isEqualTo(Result.PROVISIONAL);
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.standby(null), false)).as("lag unknown").isEqualTo(Result.PROVISIONAL);
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.standby(500L), false)).isEqualTo(Result.PROVISIONAL);
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.standby(1L), false)).isEqualTo(Result.REPLIED);
        assertThat(ReplyMeaning.classify(200, true, io.wordcountiq.model.Copy.ACTIVE, false)).isEqualTo(Result.REPLIED);

        Exchange better = walking(List.of(OWNER, STANDBY));
        hop(better, 200, OWNER, Map.of(Headers.COPY, "restoring", Headers.STALE, "true"));
        assertThat(forwarding.hasNext(better)).as("a restoring copy does not settle the walk").isTrue();
        hop(better, 200, STANDBY, Map.of(Headers.COPY, "standby", Headers.STALE, "true", Headers.LAG, "0"));
        assertThat(((Relayed) forwarding.settle(better)).headers()).containsEntry(Headers.COPY, "standby");

        Exchange lastResort = walking(List.of(OWNER, STANDBY));
        hop(lastResort, 200, OWNER, Map.of(Headers.COPY, "restoring", Headers.STALE, "true"));
        failed(addressed(lastResort), PeerReply.Failure.REFUSED);
        forwarding.endRound(lastResort);
        assertThat(forwarding.anotherRound(lastResort)).isFalse();
        assertThat(((Relayed) forwarding.settle(lastResort)).headers()).containsEntry(Headers.COPY, "restoring");
    }

    @Test
    void shouldAnswerFromAStandbyThatSaysHowFarBehindItIsAtTheEndOfARound() {
        Exchange exchange = walking(List.of(OWNER, STANDBY));
        hop(exchange, 200, OWNER, Map.of(Headers.COPY, "standby", Headers.STALE, "true"));
        hop(exchange, 200, STANDBY, Map.of(Headers.COPY, "standby", Headers.STALE, "true", Headers.LAG, "500"));
        forwarding.endRound(exchange);

        assertThat(forwarding.anotherRound(exchange)).as("its lag is known: the answer says how stale it is").isFalse();
        assertThat(((Relayed) forwarding.settle(exchange)).headers()).containsEntry(Headers.LAG, "500");
    }

    @Test
    void shouldNotSettleOnAStandbyOfUnknownLagWhileAnotherRoundFitsAndAnswerWithItAtTheDeadline() {
        // A standby the last rebalance created answers with whatever it has restored so far, without a lag.
        Exchange exchange = walking(List.of(OWNER, STANDBY));
        failed(addressed(exchange), PeerReply.Failure.REFUSED);
        hop(exchange, 200, STANDBY, Map.of(Headers.COPY, "standby", Headers.STALE, "true"));
        forwarding.endRound(exchange);

        assertThat(forwarding.anotherRound(exchange)).isTrue();
        assertThat(((Relayed) forwarding.settle(exchange)).headers()).as("the last resort, marked stale")
                .containsEntry(Headers.STALE, "true");
    }

    @Test
    void shouldPreferTheRestoringOwnersAnswerToAStandbyOfUnknownLag() {
        Exchange exchange = walking(List.of(STANDBY, OWNER));
        hop(exchange, 200, STANDBY, Map.of(Headers.COPY, "standby", Headers.STALE, "true"));
        hop(exchange, 200, OWNER, Map.of(Headers.COPY, "restoring", Headers.STALE, "true"));
        forwarding.endRound(exchange);

        assertThat(forwarding.anotherRound(exchange)).isFalse();
        assertThat(((Relayed) forwarding.settle(exchange)).headers()).containsEntry(Headers.COPY, "restoring");
    }

    @Test
    void shouldTellWhyEachHolderCouldNotAnswerAsFreshAsTheTokenAsks() {
        KeyRequest withToken = new KeyRequest("word-count", "hello", false,
                ConsistencyToken.written(Map.of(0, 10L), Set.of(2)), null);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeProperties.WALK, new ForwardWalk(withToken, placedElsewhere(), List.of(OWNER, STANDBY),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        hop(exchange, 503, OWNER, Map.of(), "{\"status\":503,\"error\":\"this copy does not cover X-IQ-Token yet: 3 to go\"}");
        assertThat(exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class).headers()).as("the hop carries the token")
                .containsKey(Headers.TOKEN);
        hop(exchange, 503, STANDBY, Map.of(), "not json");

        Failed failed = (Failed) forwarding.settle(exchange);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).contains("X-IQ-Token");
        assertThat(((Map<?, ?>) failed.error().details()).get("tried")).asList().containsExactly(
                Map.of("host", "wc-1:8080", "result", "unavailable", "reason", "this copy does not cover X-IQ-Token yet: 3 to go"),
                Map.of("host", "wc-2:8080", "result", "unavailable"));
    }

    @Test
    void shouldNeverAnswer404WithoutACopyThatKnows() {
        Exchange exchange = walking(List.of(OWNER, STANDBY, OTHER));
        hop(exchange, 404, OWNER, Map.of(Headers.COPY, "restoring"));
        hop(exchange, 421, STANDBY, Map.of());
        hop(exchange, 404, null, Map.of());

        Failed failed = (Failed) forwarding.settle(exchange);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void shouldAnswer404WhenTheActiveCopySaysSoAfterOneRequest() {
        Exchange exchange = walking(List.of(OWNER, STANDBY, OTHER));
        hop(exchange, 404, OWNER, Map.of(Headers.COPY, "active"));

        assertThat(forwarding.hasNext(exchange)).as("an unknown word costs one internal request").isFalse();
        assertThat(((Relayed) forwarding.settle(exchange)).status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer503WhenEveryHostRefusedAnd504WhenTheyOnlyTimedOut() {
        Exchange refused = walking(List.of(OWNER, STANDBY));
        failed(addressed(refused), PeerReply.Failure.REFUSED);
        failed(addressed(refused), PeerReply.Failure.REFUSED);
        Exchange timedOut = walking(List.of(OWNER, STANDBY));
        failed(addressed(timedOut), PeerReply.Failure.TIMEOUT);
        failed(addressed(timedOut), PeerReply.Failure.TIMEOUT);

        Failed failed = (Failed) forwarding.settle(refused);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().details()).isEqualTo(Map.of("tried", List.of(
                Map.of("host", "wc-1:8080", "result", "refused"), Map.of("host", "wc-2:8080", "result", "refused"))));
        assertThat(((Failed) forwarding.settle(timedOut)).error().status()).isEqualTo(504);
    }

    @Test
    void shouldAnswer503WhenNoOtherInstanceHostsTheStore() {
        Failed failed = (Failed) forwarding.settle(walking(List.of()));

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).isEqualTo("no other instance hosts this store right now");
    }

    @Test
    void shouldGoRoundAgainAfterAGrowingPauseUntilTheDeadline() {
        Exchange exchange = walking(List.of(OWNER));
        failed(addressed(exchange), PeerReply.Failure.REFUSED);
        ForwardWalk walk = walk(exchange);
        assertThat(forwarding.hasNext(exchange)).isFalse();
        assertThat(forwarding.anotherRound(exchange)).as("time is left for another round").isTrue();
        long first = walk.getPauseMs();
        walk.newRound(walk.placement(), List.of(OWNER, STANDBY));
        assertThat(walk.getPauseMs()).isGreaterThan(first);
        assertThat(forwarding.hasNext(exchange)).isTrue();

        Exchange late = new DefaultExchange(camel);
        late.setProperty(ExchangeProperties.WALK, new ForwardWalk(REQUEST, placedElsewhere(), List.of(OWNER), System.nanoTime() - 1));
        assertThat(forwarding.hasNext(late)).isFalse();
        assertThat(forwarding.anotherRound(late)).isFalse();
        assertThat(walk(late).getPauseMs()).isZero();
    }

    private static Placement placedElsewhere() {
        return Placement.of(new KeyQueryMetadata(OWNER, Set.of(STANDBY), 2), SELF);
    }

    @Test
    void shouldTimeEachAttemptFromAddressingTheHostToWhatCameOfIt() {
        Exchange exchange = walking(List.of(OWNER, STANDBY));
        forwarding.address(exchange);
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(60)).until(() -> true);
        failed(exchange, PeerReply.Failure.TIMEOUT);
        hop(exchange, 200, STANDBY, Map.of(Headers.COPY, "active"));

        List<ForwardWalk.Tried> tried = walk(exchange).tried();
        assertThat(tried).extracting(ForwardWalk.Tried::host).containsExactly("wc-1:8080", "wc-2:8080");
        assertThat(tried.get(0).elapsedMs()).as("the timed-out attempt took its time").isGreaterThanOrEqualTo(60);
        assertThat(tried.get(1).elapsedMs()).as("the answer came at once").isGreaterThanOrEqualTo(0).isLessThan(60);
        assertThat(WalkAnswer.describe(tried.get(0))).as("the error's tried list stays as it was")
                .containsOnlyKeys("host", "result");
    }

    private Exchange walking(List<HostInfo> recipients) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeProperties.WALK, new ForwardWalk(REQUEST, placedElsewhere(), recipients,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        return exchange;
    }

    private Exchange addressed(Exchange exchange) {
        forwarding.address(exchange);
        return exchange;
    }

    /** One hop's reply as the peer: endpoint leaves it: the body is the reply. */
    private void hop(Exchange exchange, int status, HostInfo servedBy, Map<String, String> headers) {
        hop(exchange, status, servedBy, headers, status == 200 ? "{\"key\":\"hello\",\"value\":1}" : "");
    }

    private void hop(Exchange exchange, int status, HostInfo servedBy, Map<String, String> headers, String body) {
        forwarding.address(exchange);
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("Connection", "keep-alive");
        if (servedBy != null) {
            all.put(Headers.SERVED_BY, RecipientPlanner.address(servedBy));
        }
        String address = exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class).address();
        PeerReply.Answered reply = new PeerReply.Answered(address, status, all,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), null, 1.0);
        health.observe(reply); // as the peer client does with every reply
        exchange.getMessage().setBody(reply);
        forwarding.reply(exchange);
    }

    /** The call to the host being asked came to nothing. */
    private void failed(Exchange exchange, PeerReply.Failure failure) {
        String address = exchange.getProperty(ExchangeProperties.PEER_CALL, PeerCall.class).address();
        exchange.getMessage().setBody(new PeerReply.Failed(address, failure, failure.name(),
                1.0));
        forwarding.reply(exchange);
    }

    private static ForwardWalk walk(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.WALK, ForwardWalk.class);
    }

    static int status(QueryResult result) {
        return ((Failed) result).error().status();
    }
}
