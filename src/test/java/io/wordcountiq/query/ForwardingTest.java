package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.Headers;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Failed;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** The walk's decisions, one reply at a time: what a reply means, and what the client gets at the end. */
class ForwardingTest {

    private static final HostInfo SELF = new HostInfo("wc-0", 8080);
    private static final HostInfo OWNER = new HostInfo("wc-1", 8080);
    private static final HostInfo STANDBY = new HostInfo("wc-2", 8080);
    private static final HostInfo OTHER = new HostInfo("wc-3", 8080);
    private static final KeyRequest REQUEST = new KeyRequest("word-count", "hello", "/state/keyvalue/word-count/hello", false);

    private final Forwarding forwarding = new Forwarding(null, null, new ForwardMarker("s"), "http", 5_000);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void shouldAddressEachRecipientInTurnWithOnlyThePathAndAMark() {
        Exchange exchange = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        exchange.getMessage().setHeader("CamelHttpUri", "http://evil:1/");
        exchange.getMessage().setHeader("key", "steered");

        forwarding.address(exchange);

        assertThat(walk(exchange).getTarget()).isEqualTo("http://wc-1:8080");
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_METHOD, Exchange.HTTP_PATH, Headers.FORWARDED);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_PATH)).isEqualTo(REQUEST.path());
        forwarding.unreachable(failedWith(exchange, new ConnectException("refused")));
        forwarding.address(exchange);
        assertThat(walk(exchange).getTarget()).isEqualTo("http://wc-2:8080");
    }

    @Test
    void shouldRelayTheFirstReplyThatIsNotA404AsItCame() {
        Exchange exchange = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        hop(exchange, 404, null);
        assertThat(forwarding.hasNext(exchange)).isTrue();
        hop(exchange, 200, STANDBY);

        assertThat(forwarding.hasNext(exchange)).as("a reply settles the walk").isFalse();
        assertThat(forwarding.settle(exchange)).isEqualTo(new Relayed(200, "{\"key\":\"hello\",\"value\":1}",
                "application/json", "wc-2:8080", null, null));
    }

    @Test
    void shouldTreatAProxysGatewayErrorAsAnUnreachableHostButAnInstances503AsItsAnswer() {
        Exchange proxied = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        hop(proxied, 502, null);
        assertThat(forwarding.hasNext(proxied)).isTrue();

        Exchange fromInstance = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        hop(fromInstance, 503, OWNER);
        assertThat(forwarding.hasNext(fromInstance)).isFalse();
        assertThat(forwarding.settle(fromInstance)).isInstanceOf(Relayed.class).extracting(r -> ((Relayed) r).status()).isEqualTo(503);
    }

    @Test
    void shouldAnswer404WhenAHolderOfThePartitionSaidNotFound() {
        Exchange exchange = walking(placedElsewhere(), List.of(OWNER, STANDBY, OTHER));
        hop(exchange, 404, OWNER);
        forwarding.unreachable(failedWith(addressed(exchange), new ConnectException("refused")));
        forwarding.unreachable(failedWith(addressed(exchange), new ConnectException("refused")));

        assertThat(status(forwarding.settle(exchange))).isEqualTo(404);
    }

    @Test
    void shouldAnswer503WhenEveryHostRefusedAnd504WhenOneTimedOut() {
        Exchange refused = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        forwarding.unreachable(failedWith(addressed(refused), new ConnectException("refused")));
        forwarding.unreachable(failedWith(addressed(refused), new ConnectException("refused")));
        Exchange timedOut = walking(placedElsewhere(), List.of(OWNER, STANDBY));
        forwarding.unreachable(failedWith(addressed(timedOut), new SocketTimeoutException("slow")));
        forwarding.unreachable(failedWith(addressed(timedOut), new ConnectionRequestTimeoutException("pool")));

        Failed failed = (Failed) forwarding.settle(refused);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().retryAfterSeconds()).isEqualTo(1);
        assertThat(failed.error().details()).isEqualTo(Map.of("tried", List.of(
                Map.of("host", "wc-1:8080", "result", "refused"), Map.of("host", "wc-2:8080", "result", "refused"))));
        assertThat(status(forwarding.settle(timedOut))).isEqualTo(504);
    }

    @Test
    void shouldAnswer503WhenNoOtherInstanceHostsTheStore() {
        Failed failed = (Failed) forwarding.settle(walking(placedElsewhere(), List.of()));

        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().getMessage()).isEqualTo("no other instance hosts this store right now");
    }

    @Test
    void shouldStopAskingWhenTheRequestDeadlinePassed() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Headers.WALK, new ForwardWalk(REQUEST, placedElsewhere(), List.of(OWNER), System.nanoTime() - 1));

        assertThat(forwarding.hasNext(exchange)).isFalse();
        assertThat(status(forwarding.settle(exchange))).isEqualTo(503);
    }

    @Test
    void shouldClassifyFailuresByTheirCauseChain() {
        assertThat(Forwarding.classify(new RuntimeException(new ConnectException()))).isEqualTo(ForwardWalk.Result.REFUSED);
        assertThat(Forwarding.classify(new RuntimeException(new SocketTimeoutException()))).isEqualTo(ForwardWalk.Result.TIMEOUT);
        assertThat(Forwarding.classify(new IllegalStateException("other"))).isEqualTo(ForwardWalk.Result.FAILED);
    }

    private static Placement placedElsewhere() {
        return Placement.of(new KeyQueryMetadata(OWNER, Set.of(STANDBY), 2), SELF);
    }

    private Exchange walking(Placement placement, List<HostInfo> recipients) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(Headers.WALK, new ForwardWalk(REQUEST, placement, recipients,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        return exchange;
    }

    private Exchange addressed(Exchange exchange) {
        forwarding.address(exchange);
        return exchange;
    }

    /** One hop's reply as camel-http leaves it on the message. */
    private void hop(Exchange exchange, int status, HostInfo servedBy) {
        try {
            forwarding.address(exchange);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            if (servedBy != null) {
                exchange.getMessage().setHeader(Headers.SERVED_BY, RecipientPlanner.address(servedBy));
            }
            exchange.getMessage().setBody(status == 200 ? "{\"key\":\"hello\",\"value\":1}".getBytes() : new byte[0]);
            forwarding.reply(exchange);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Exchange failedWith(Exchange exchange, Exception e) {
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        return exchange;
    }

    private static ForwardWalk walk(Exchange exchange) {
        return exchange.getProperty(Headers.WALK, ForwardWalk.class);
    }

    private static int status(QueryResult result) {
        return ((Failed) result).error().status();
    }
}
