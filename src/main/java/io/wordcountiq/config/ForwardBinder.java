package io.wordcountiq.config;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.forward.Forwarding;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Registry;

/** Forwarding a lookup to the instance that holds the key (routes/forward). */
final class ForwardBinder {

    private ForwardBinder() {
    }

    static void bind(Registry registry, SharedBeans shared, PeerHealth health) {
        Forwarding forwarding = new Forwarding(shared.metadata(), shared.localReads(), shared.marker(), health,
                shared.tokens(), shared.settings().requestTimeoutMs());
        registry.bind("forwarding", forwarding);
        // The forward route's loop and filter conditions (ref: in routes/forward.camel.yaml). As predicates Camel
        // evaluates them on the exchange itself; as bean method expressions, on a copy of it at every evaluation.
        registry.bind("walkAnotherRound", (Predicate) forwarding::anotherRound);
        registry.bind("walkHasNext", (Predicate) forwarding::hasNext);
        registry.bind("walkUnsettled", (Predicate) forwarding::unsettled);
    }
}
