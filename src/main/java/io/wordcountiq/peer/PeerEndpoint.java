package io.wordcountiq.peer;

import org.apache.camel.Category;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** One name of the {@code peer:} component (peer/PeerComponent). Producer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "peer", title = "Peer", syntax = "peer:name", producerOnly = true,
        category = {Category.HTTP})
public class PeerEndpoint extends DefaultEndpoint {

    private final PeerClient client;

    PeerEndpoint(String uri, Component component, PeerClient client) {
        super(uri, component);
        this.client = client;
    }

    @Override
    public Producer createProducer() {
        return new PeerProducer(this, client);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("peer: endpoints only send");
    }

    @Override
    public boolean isRemote() {
        return true;
    }
}
