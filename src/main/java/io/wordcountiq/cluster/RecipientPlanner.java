package io.wordcountiq.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Orders the instances to ask for a key that is not local. Only hosts from Kafka Streams metadata are used; this
 * instance and the "unavailable" sentinel never are.
 * <ul>
 *   <li>{@link #order Owner first} (the default): the active host, then its standbys (least lag first, KIP-535), then
 *       the other hosts of the store given (only when the metadata may be stale).</li>
 *   <li>{@link #nearest Nearest first}, for a request that says how fresh it must be (maxLag, a token): the key's
 *       holders in this instance's cluster before those of the other cluster, and within a cluster the active copy,
 *       then standbys least lag first; a standby known to lag more than maxLag is left out.</li>
 * </ul>
 */
public final class RecipientPlanner {

    private RecipientPlanner() {
    }

    public static List<HostInfo> order(HostInfo self, KeyQueryMetadata key, Collection<StreamsMetadata> storeHosts,
                                       Map<HostInfo, Long> knownLags) {
        Set<HostInfo> ordered = new LinkedHashSet<>();
        if (key != null && key != KeyQueryMetadata.NOT_AVAILABLE) {
            ordered.add(key.activeHost());
            List<HostInfo> standbys = new ArrayList<>(key.standbyHosts());
            standbys.sort(byLag(knownLags));
            ordered.addAll(standbys);
        }
        storeHosts.stream()
                .map(StreamsMetadata::hostInfo)
                .sorted(Comparator.comparing(RecipientPlanner::address))
                .forEach(ordered::add);
        ordered.removeIf(h -> h == null || h.equals(self) || !usable(h));
        return List.copyOf(ordered);
    }

    /**
     * The key's holders nearest first: this instance's cluster, then the other; the active copy before standbys in
     * each; standbys known to lag more than {@code maxLag} (when given) are left out.
     *
     * @param clusterOf the cluster of a host ("" when not known: counted as another cluster)
     */
    public static List<HostInfo> nearest(HostInfo self, String selfCluster, KeyQueryMetadata key,
                                         Map<HostInfo, Long> knownLags, Function<HostInfo, String> clusterOf, Long maxLag) {
        if (key == null || key == KeyQueryMetadata.NOT_AVAILABLE) {
            return List.of();
        }
        List<HostInfo> holders = new ArrayList<>();
        holders.add(key.activeHost());
        for (HostInfo standby : key.standbyHosts()) {
            Long lag = knownLags.get(standby);
            if (maxLag == null || lag == null || lag <= maxLag) {
                holders.add(standby);
            }
        }
        Comparator<HostInfo> near = Comparator.comparingInt(h -> !selfCluster.isEmpty() && selfCluster.equals(clusterOf.apply(h))
                ? 0 : 1);
        holders.sort(near.thenComparingInt((HostInfo h) -> h.equals(key.activeHost()) ? 0 : 1).thenComparing(byLag(knownLags)));
        holders.removeIf(h -> h == null || h.equals(self) || !usable(h));
        return List.copyOf(new LinkedHashSet<>(holders));
    }

    private static Comparator<HostInfo> byLag(Map<HostInfo, Long> knownLags) {
        return Comparator.<HostInfo>comparingLong(h -> knownLags.getOrDefault(h, Long.MAX_VALUE))
                .thenComparing(RecipientPlanner::address);
    }

    /** host:port, as in application.server. */
    public static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    public static boolean usable(HostInfo host) {
        return host.port() > 0 && !host.host().isEmpty() && !"unavailable".equals(host.host());
    }
}
