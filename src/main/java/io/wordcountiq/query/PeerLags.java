package io.wordcountiq.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.streams.Names;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of routes/peer-lags.camel.yaml: every few seconds each peer is asked for its own offset lag per
 * partition (KIP-535), and {@link StoreMetadata} keeps what it said, so a key's standbys are asked least-lag first.
 * A peer that does not answer is forgotten until it answers again.
 */
public class PeerLags {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLags.class);

    private final StoreMetadata metadata;
    private final String scheme;

    public PeerLags(StoreMetadata metadata, String scheme) {
        this.metadata = metadata;
        this.scheme = scheme;
    }

    /** The peers to poll, as base URIs; empty while this instance has no metadata. */
    public List<String> peers() {
        try {
            return metadata.peers().stream().map(h -> scheme + "://" + RecipientPlanner.address(h)).toList();
        } catch (ApiError notReady) {
            return List.of();
        }
    }

    /** Addresses one peer's /state/instances; the split body is the peer's base URI. */
    public void prepare(Exchange exchange) {
        exchange.setProperty(Headers.PEER, exchange.getMessage().getBody(String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/state/instances");
    }

    public void record(Exchange exchange) throws IOException {
        HostInfo peer = peerOf(exchange);
        if (exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 200) {
            metadata.forgetLags(peer);
            return;
        }
        JsonNode instances = Json.MAPPER.readTree(exchange.getMessage().getBody(byte[].class));
        for (JsonNode instance : instances) {
            if (instance.path("self").asBoolean(false)) {
                Map<Integer, Long> lags = new HashMap<>();
                instance.path("offsetLag").path(Names.WORD_COUNT_STORE).fields()
                        .forEachRemaining(e -> lags.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
                metadata.reportLags(peer, lags);
            }
        }
    }

    public void forget(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.debug("Peer {} did not tell its lags: {}", exchange.getProperty(Headers.PEER), e == null ? "?" : e.toString());
        metadata.forgetLags(peerOf(exchange));
    }

    private static HostInfo peerOf(Exchange exchange) {
        String uri = exchange.getProperty(Headers.PEER, String.class);
        return HostInfo.buildFromEndpoint(uri.substring(uri.indexOf("://") + 3));
    }
}
