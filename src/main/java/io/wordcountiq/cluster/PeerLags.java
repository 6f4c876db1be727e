package io.wordcountiq.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import io.wordcountiq.streams.Names;
import io.wordcountiq.wire.Json;
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
 * partition (KIP-535), all at once, and {@link StoreMetadata} keeps what each said, so a key's standbys are asked
 * least-lag first. A peer that does not answer is forgotten until it answers again.
 */
public class PeerLags {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLags.class);

    private final StoreMetadata metadata;

    public PeerLags(StoreMetadata metadata) {
        this.metadata = metadata;
    }

    /** A call to every peer's /state/instances (the next peer: step sends them); none while there is no metadata. */
    public void calls(Exchange exchange) {
        List<HostInfo> peers;
        try {
            peers = metadata.peers();
        } catch (ApiError notReady) {
            peers = List.of();
        }
        exchange.setProperty(ExchangeProperties.PEER_CALL, peers.stream().map(h -> new PeerCall(RecipientPlanner.address(h),
                "/state/instances", null, Map.of(), PeerCall.Mode.BUFFERED)).toList());
    }

    /** What each peer said of its lags; a peer that did not say is forgotten. */
    public void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<PeerReply> replies = exchange.getMessage().getBody(List.class);
        for (PeerReply reply : replies) {
            HostInfo peer = HostInfo.buildFromEndpoint(reply.address());
            if (!(reply instanceof PeerReply.Answered answered) || answered.status() != 200 || answered.body() == null) {
                LOG.debug("Peer {} did not tell its lags: {}", reply.address(), reply);
                metadata.peerReports().forgetLags(peer);
                continue;
            }
            try {
                record(peer, Json.MAPPER.readTree(answered.body()));
            } catch (IOException e) {
                metadata.peerReports().forgetLags(peer);
            }
        }
    }

    private void record(HostInfo peer, JsonNode instances) {
        SelfReport report = SelfReport.parse(instances);
        if (report != null) {
            metadata.peerReports().reportCluster(peer, report.cluster());
        }
        for (JsonNode instance : instances) {
            if (instance.path("self").asBoolean(false)) {
                Map<Integer, Long> lags = new HashMap<>();
                instance.path("offsetLag").path(Names.WORD_COUNT_STORE).fields()
                        .forEachRemaining(e -> lags.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
                metadata.peerReports().reportLags(peer, lags);
            }
        }
    }
}
