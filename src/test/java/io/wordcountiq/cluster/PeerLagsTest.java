package io.wordcountiq.cluster;

import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.PeerReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerLagsTest {

    private static final HostInfo PEER = new HostInfo("wc-1", 8080);

    private final StoreMetadata metadata = StoreMetadataTest.metadata("wordcount");
    private final PeerLags lags = new PeerLags(metadata);

    @Test
    void shouldAskNobodyWhileThereIsNoMetadata() {
        Exchange exchange = exchange();
        lags.calls(exchange);

        assertThat(exchange.getProperty(ExchangeProperties.PEER_CALL, List.class)).isEmpty();
    }

    @Test
    void shouldKeepWhatAPeerSaidOfItsOwnLagsAndCluster() {
        record(answered(200, "[{\"host\":\"wc-1\",\"port\":8080,\"self\":true,\"cluster\":\"red\","
                + "\"offsetLag\":{\"word-count\":{\"1\":3}}},{\"host\":\"wc-2\",\"port\":8080,"
                + "\"offsetLag\":{\"word-count\":{\"1\":9}}}]"));

        assertThat(metadata.peerLagsOf(1)).as("only what it said of itself").containsExactly(Map.entry(PEER, 3L));
        assertThat(metadata.clusterOf("wc-1:8080")).isEqualTo("red");
    }

    @Test
    void shouldForgetThePeersLagsWhenItDoesNotTellThem() {
        String said = "[{\"host\":\"wc-1\",\"port\":8080,\"self\":true,\"offsetLag\":{\"word-count\":{\"1\":3}}}]";
        for (PeerReply silent : List.of(answered(503, "{}"), answered(200, "not json"),
                new PeerReply.Failed("wc-1:8080", PeerReply.Failure.TIMEOUT, "timed out", 1))) {
            record(answered(200, said));
            record(silent);
            assertThat(metadata.peerLagsOf(1)).as(silent.toString()).isEmpty();
        }
    }

    private void record(PeerReply reply) {
        Exchange exchange = exchange();
        exchange.getMessage().setBody(List.of(reply));
        lags.record(exchange);
    }

    private static PeerReply answered(int status, String body) {
        return new PeerReply.Answered("wc-1:8080", status, Map.of("X-IQ-Served-By", "wc-1:8080"),
                body.getBytes(StandardCharsets.UTF_8), null, 1);
    }

    private static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }
}
