package io.wordcountiq.peer;

import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.PeerCall;
import java.util.List;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Sends the exchange's {@link PeerCall} (or list of them, all at once) and completes in the client's callback:
 * the route goes on on the event loop the answer arrived on, and no thread waited for it.
 */
final class PeerProducer extends DefaultAsyncProducer {

    private final PeerClient client;

    PeerProducer(Endpoint endpoint, PeerClient client) {
        super(endpoint);
        this.client = client;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Object calls = exchange.getProperty(ExchangeProperties.PEER_CALL);
        if (calls instanceof PeerCall call) {
            client.call(call).whenComplete((reply, e) -> {
                exchange.getMessage().setBody(reply);
                callback.done(false);
            });
        } else if (calls instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<PeerCall> all = (List<PeerCall>) list;
            client.callAll(all).whenComplete((replies, e) -> {
                exchange.getMessage().setBody(replies);
                callback.done(false);
            });
        } else {
            exchange.setException(new IllegalStateException("peer: needs the exchange property " + ExchangeProperties.PEER_CALL
                    + " (a PeerCall or a list of them), had " + calls));
            callback.done(true);
            return true;
        }
        return false;
    }
}
