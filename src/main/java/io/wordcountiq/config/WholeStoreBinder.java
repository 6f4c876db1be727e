package io.wordcountiq.config;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.wholestore.LocalParts;
import io.wordcountiq.wholestore.ScatterGather;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;

/** Reading a whole store across instances (routes/wholestore). */
final class WholeStoreBinder {

    private WholeStoreBinder() {
    }

    static void bind(CamelContext context, SharedBeans shared, PeerHealth health) {
        Registry registry = context.getRegistry();
        // Whole stores are read from RocksDB on a pool of their own, a batch at a time.
        ExecutorService pool = BoundedPool.create("whole-store", shared.settings().wholeStoreThreads(), 4096);
        ContextEvents.on(context, CamelEvent.CamelContextStoppedEvent.class, pool::shutdownNow);
        LocalParts localParts = new LocalParts(shared.metadata(), shared.lifecycle(), shared.consistency(),
                shared.localReads(), pool);
        registry.bind("scatterGather", new ScatterGather(shared.metadata(), localParts, shared.marker(), shared.tokens(),
                health));
        registry.bind("gatherPeers", (Predicate) exchange -> exchange.getMessage().getBody() instanceof QueryResult.Gather
                gather && !gather.peers().isEmpty());
        registry.bind("peerCallsPlanned", (Predicate) exchange -> exchange.getProperty(ExchangeProperties.PEER_CALL)
                instanceof List<?> calls && !calls.isEmpty());
    }
}
