package io.wordcountiq.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What peers said of themselves when asked ({@link PeerLags}): the offset lag of each of their copies per partition
 * (forgotten after {@link #LAGS_MAX_AGE_MS} without a new report) and the cluster each is in.
 */
final class PeerReports {

    /** A peer's reported lags are forgotten after this long without a new report. */
    static final long LAGS_MAX_AGE_MS = 30_000;

    private record ReportedLags(Map<Integer, Long> byPartition, long atMs) {
    }

    private final LongSupplier clockMs;
    private final Map<HostInfo, ReportedLags> lags = new ConcurrentHashMap<>();
    /** Changes whenever a peer's reported lags change: recipient plans ordered by lag are redone. */
    private final AtomicLong lagsVersion = new AtomicLong();
    /** The cluster (CLUSTER_NAME) each peer said it is in, by host:port. */
    private final Map<String, String> clusters = new ConcurrentHashMap<>();

    PeerReports(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** Records what a peer said of its own offset lag per partition. */
    void reportLags(HostInfo peer, Map<Integer, Long> lagByPartition) {
        lags.put(peer, new ReportedLags(Map.copyOf(lagByPartition), clockMs.getAsLong()));
        lagsVersion.incrementAndGet();
    }

    void forgetLags(HostInfo peer) {
        lags.remove(peer);
        lagsVersion.incrementAndGet();
    }

    /** A number that changes whenever what is known of the peers' lags changes. */
    long lagsVersion() {
        return lagsVersion.get();
    }

    /** Known lags of one partition's copies on peers, by host; an unknown or too old lag is absent. */
    Map<HostInfo, Long> lagsOf(int partition) {
        long now = clockMs.getAsLong();
        Map<HostInfo, Long> out = new HashMap<>();
        lags.forEach((host, reported) -> {
            Long lag = reported.byPartition().get(partition);
            if (lag != null && now - reported.atMs() < LAGS_MAX_AGE_MS) {
                out.put(host, lag);
            }
        });
        return out;
    }

    /** Records the cluster a peer said it is in. */
    void reportCluster(HostInfo peer, String cluster) {
        clusters.put(RecipientPlanner.address(peer), cluster == null ? "" : cluster);
    }

    /** The cluster a peer (host:port) said it is in; "" when not known. */
    String clusterOf(String address) {
        return clusters.getOrDefault(address, "");
    }
}
