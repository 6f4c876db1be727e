package io.wordcountiq.forward;

import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.forward.ForwardWalk.Result;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The hosts a walk asks in each round, reachable ones only: nearest first for a request that says how fresh it must
 * be, else owner first (standbys least lag first); the store's other hosts too when the metadata may be stale.
 */
final class WalkRecipients {

    private final StoreMetadata metadata;
    private final PeerHealth health;

    WalkRecipients(StoreMetadata metadata, PeerHealth health) {
        this.metadata = metadata;
        this.health = health;
    }

    /** The first round's hosts: the store's other hosts too when nobody is known to hold the key. */
    List<HostInfo> first(KeyLookup request, Placement placement) {
        return plan(request, placement, placement.role() == Placement.Role.UNKNOWN);
    }

    /** Starts the walk's next round with hosts planned from fresh metadata: a rebalance may have moved the partition. */
    void nextRound(ForwardWalk walk) {
        Placement placement;
        try {
            placement = metadata.placementNow(walk.request().store(), walk.request().key());
        } catch (ApiError notReady) {
            placement = walk.placement();
        }
        List<HostInfo> next;
        try {
            // Hosts without a copy only when the metadata may be stale: a holder said it has none, none is known, or
            // rounds went by.
            next = plan(walk.request(), placement, walk.anyTried(Result.NOT_HOSTED)
                    || placement.role() == Placement.Role.UNKNOWN || walk.rounds() >= 2);
        } catch (ApiError notReady) {
            next = List.of();
        }
        walk.newRound(placement, next);
    }

    private List<HostInfo> plan(KeyLookup request, Placement placement, boolean othersToo) {
        String store = request.store();
        List<HostInfo> planned;
        if (request.statesFreshness()) {
            Map<HostInfo, Long> lags = placement.role() == Placement.Role.UNKNOWN ? Map.of()
                    : metadata.peerLagsOf(placement.partition());
            planned = new ArrayList<>(RecipientPlanner.nearest(metadata.selfHost(), metadata.clusterName(),
                    placement.metadata(), lags, h -> metadata.clusterOf(RecipientPlanner.address(h)), request.maxLag()));
            if (othersToo) {
                ownerFirst(store, placement, true).stream().filter(h -> !planned.contains(h)).forEach(planned::add);
            }
        } else if (othersToo) {
            planned = ownerFirst(store, placement, true);
        } else {
            planned = metadata.recipients(store, placement, () -> ownerFirst(store, placement, false));
        }
        return health.reachableOf(planned);
    }

    /** Owner first, from the metadata and the peers' lags as they are now. */
    private List<HostInfo> ownerFirst(String store, Placement placement, boolean othersToo) {
        return RecipientPlanner.order(metadata.selfHost(), placement.metadata(),
                othersToo ? metadata.hostsOf(store) : List.of(),
                placement.role() == Placement.Role.UNKNOWN ? Map.of() : metadata.peerLagsOf(placement.partition()));
    }
}
