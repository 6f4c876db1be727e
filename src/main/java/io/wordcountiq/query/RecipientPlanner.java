package io.wordcountiq.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Orders the instances to ask for a key that is not local: the active host, then its standbys (least lag first,
 * KIP-535), then every other instance hosting the store. Only hosts from Kafka Streams metadata are used; this
 * instance and the "unavailable" sentinel never are.
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
            standbys.sort(Comparator.<HostInfo>comparingLong(h -> knownLags.getOrDefault(h, Long.MAX_VALUE))
                    .thenComparing(RecipientPlanner::address));
            ordered.addAll(standbys);
        }
        storeHosts.stream()
                .map(StreamsMetadata::hostInfo)
                .sorted(Comparator.comparing(RecipientPlanner::address))
                .forEach(ordered::add);
        ordered.removeIf(h -> h == null || h.equals(self) || !usable(h));
        return List.copyOf(ordered);
    }

    /** host:port, as in application.server. */
    public static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    static boolean usable(HostInfo host) {
        return host.port() > 0 && !host.host().isEmpty() && !"unavailable".equals(host.host());
    }
}
