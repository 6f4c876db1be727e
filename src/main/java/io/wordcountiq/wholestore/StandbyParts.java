package io.wordcountiq.wholestore;

import io.wordcountiq.cluster.RecipientPlanner;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a whole-store answer reads the partitions whose active copy could not be reached: this instance's own standby
 * when it holds one, else the nearest reachable instance holding one (this instance's cluster first, least lag first),
 * never one that is known to lag more than maxLag. A partition with no such copy stays missing.
 *
 * @param own     partitions read from this instance's own standbys
 * @param peers   partitions to ask each peer for, from its standbys
 */
record StandbyParts(Set<Integer> own, Map<HostInfo, Set<Integer>> peers) {

    static StandbyParts plan(Set<Integer> missing, Map<Integer, List<HostInfo>> standbys, HostInfo self,
                             Predicate<HostInfo> usable, Function<HostInfo, Boolean> sameCluster,
                             Function<Integer, Map<HostInfo, Long>> lagsOf, Long maxLag) {
        Set<Integer> own = new TreeSet<>();
        Map<HostInfo, Set<Integer>> peers = new HashMap<>();
        for (int partition : missing) {
            List<HostInfo> holders = standbys.getOrDefault(partition, List.of());
            if (holders.contains(self)) {
                own.add(partition);
                continue;
            }
            Map<HostInfo, Long> lags = lagsOf.apply(partition);
            holders.stream()
                    .filter(usable)
                    .filter(h -> maxLag == null || (lags.get(h) != null && lags.get(h) <= maxLag))
                    .min(Comparator.comparingInt((HostInfo h) -> sameCluster.apply(h) ? 0 : 1)
                            .thenComparingLong(h -> lags.getOrDefault(h, Long.MAX_VALUE))
                            .thenComparing(RecipientPlanner::address))
                    .ifPresent(h -> peers.computeIfAbsent(h, k -> new TreeSet<>()).add(partition));
        }
        return new StandbyParts(own, peers);
    }
}
