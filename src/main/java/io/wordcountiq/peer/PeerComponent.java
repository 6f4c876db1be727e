package io.wordcountiq.peer;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code peer:<name>}: calls to other instances from a route, on the one {@link PeerClient}. The call (or the list of
 * calls) is the exchange property {@code iqPeerCall}, a {@link io.wordcountiq.model.PeerCall} a bean step prepared;
 * the reply (or the list of replies, in the same order) becomes the body. The name only says what the call is for
 * (hop, parts, lags, survey): every name shares the client and its connections.
 */
public class PeerComponent extends DefaultComponent {

    private final PeerClient client;

    public PeerComponent(PeerClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new PeerEndpoint(uri, this, client);
    }
}
