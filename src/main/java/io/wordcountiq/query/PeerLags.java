package io.wordcountiq.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What each peer last said about its own offset lag per partition (KIP-535), so a key's standbys can be asked
 * least-lag first. routes/peer-lags.camel.yaml polls the peers' /state/instances; entries older than a few
 * polls are dropped, and an unknown lag sorts last.
 */
public class PeerLags {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerLags.class);
    static final String PEER = "iqPeer";
    private static final long MAX_AGE_MS = 30_000;

    private record Seen(Map<Integer, Long> lagByPartition, long atMs) {
    }

    private final LocalStateQueries local;
    private final String scheme;
    private final Map<HostInfo, Seen> seen = new ConcurrentHashMap<>();

    public PeerLags(LocalStateQueries local, String scheme) {
        this.local = local;
        this.scheme = scheme;
    }

    /** The peers to poll, as base URIs; empty while this instance has no metadata. */
    public List<String> peers() {
        try {
            return local.allClients().stream()
                    .map(StreamsMetadata::hostInfo)
                    .filter(h -> !h.equals(local.selfHost()) && RecipientPlanner.usable(h))
                    .distinct()
                    .map(h -> scheme + "://" + RecipientPlanner.address(h))
                    .toList();
        } catch (ApiError notReady) {
            return List.of();
        }
    }

    /** Addresses one peer's /state/instances; the split body is the peer's base URI. */
    public void prepare(Exchange exchange) {
        exchange.setProperty(PEER, exchange.getMessage().getBody(String.class));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/state/instances");
    }

    public void record(Exchange exchange) throws IOException {
        HostInfo peer = peerOf(exchange);
        if (exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 200) {
            seen.remove(peer);
            return;
        }
        JsonNode instances = Json.MAPPER.readTree(exchange.getMessage().getBody(byte[].class));
        for (JsonNode instance : instances) {
            if (instance.path("self").asBoolean(false)) {
                Map<Integer, Long> lags = new HashMap<>();
                instance.path("offsetLag").path(io.wordcountiq.streams.Names.WORD_COUNT_STORE).fields()
                        .forEachRemaining(e -> lags.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
                seen.put(peer, new Seen(lags, System.currentTimeMillis()));
            }
        }
    }

    public void forget(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.debug("Peer {} did not tell its lags: {}", exchange.getProperty(PEER), e == null ? "?" : e.toString());
        seen.remove(peerOf(exchange));
    }

    /** Known lags of one partition, by host. */
    public Map<HostInfo, Long> forPartition(int partition) {
        long now = System.currentTimeMillis();
        Map<HostInfo, Long> out = new HashMap<>();
        seen.forEach((host, s) -> {
            Long lag = s.lagByPartition().get(partition);
            if (lag != null && now - s.atMs() < MAX_AGE_MS) {
                out.put(host, lag);
            }
        });
        return out;
    }

    private static HostInfo peerOf(Exchange exchange) {
        String uri = exchange.getProperty(PEER, String.class);
        return HostInfo.buildFromEndpoint(uri.substring(uri.indexOf("://") + 3));
    }
}
