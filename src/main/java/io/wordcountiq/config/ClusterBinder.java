package io.wordcountiq.config;

import io.wordcountiq.cluster.Instances;
import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.PeerLags;
import io.wordcountiq.peer.PeerClient;
import org.apache.camel.spi.Registry;

/** The cluster as this instance sees it (routes/cluster): peers' health and lag, and the instances. */
final class ClusterBinder {

    /** What the other binders need of the cluster. */
    record Cluster(PeerHealth health, Instances instances) {
    }

    private ClusterBinder() {
    }

    static Cluster bind(Registry registry, SharedBeans shared, PeerClient peers) {
        PeerHealth health = new PeerHealth(shared.metadata()::clusterOf, System::currentTimeMillis);
        peers.observe(health::observe);
        registry.bind("peerHealth", health);
        registry.bind("peerLags", new PeerLags(shared.metadata()));
        Instances instances = new Instances(shared.metadata(), shared.validator(), shared.replies(), health);
        registry.bind("instances", instances);
        return new Cluster(health, instances);
    }
}
