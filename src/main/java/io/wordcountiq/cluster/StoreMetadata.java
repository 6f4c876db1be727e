package io.wordcountiq.cluster;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Who holds which partition of which store, seen from this instance: Kafka Streams metadata, plus the offset lags
 * that peers report of their standby copies (KIP-535, polled by routes/peer-lags through {@link PeerLags}): see
 * {@link HostedPartitions} and {@link PeerReports}.
 */
public class StoreMetadata {

    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();
    /** How long a cached placement may be reused at most, even in one metadata generation. */
    private static final long PLACEMENT_MAX_AGE_NANOS = 10_000_000_000L;
    /** Recipient plans follow the peers' lags too; they are redone at least every second. */
    private static final long PLAN_MAX_AGE_NANOS = 1_000_000_000L;

    private final StreamsLifecycle lifecycle;
    private final boolean observer;
    private final String inputTopic;
    private final PeerReports peerReports = new PeerReports(System::currentTimeMillis);
    private final MetadataCache<Placement> placements;
    private final MetadataCache<List<HostInfo>> recipientPlans;
    /** This instance's own offset lag per store and partition, as last measured (an admin call, so not per request). */
    private volatile Map<String, Map<Integer, Long>> ownLags = Map.of();

    public StoreMetadata(StreamsLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.observer = lifecycle.settings().mode() == Settings.AppMode.OBSERVER;
        this.inputTopic = lifecycle.settings().inputTopic();
        this.placements = new MetadataCache<>(lifecycle::metadataGeneration, System::nanoTime, PLACEMENT_MAX_AGE_NANOS,
                20_000);
        this.recipientPlans = new MetadataCache<>(lifecycle::metadataGeneration, System::nanoTime, PLAN_MAX_AGE_NANOS,
                1_000);
    }

    /** CLUSTER_NAME of this instance, or empty. */
    public String clusterName() {
        return lifecycle.settings().clusterName();
    }

    public boolean isObserver() {
        return observer;
    }

    /** What this instance says of itself besides metadata (its entry of GET /state/instances): see {@link SelfReport}. */
    public SelfReport selfReport() {
        return new SelfReport(self(), clusterName(), observer ? "observer" : "wordcount", lifecycle.isReady(),
                lifecycle.state(), observer ? Map.of() : ownLags);
    }

    /** The input topic: its partitions in metadata belong to the tasks that split lines, not to any store. */
    public String inputTopic() {
        return inputTopic;
    }

    /** This instance's application.server. */
    public String self() {
        return lifecycle.settings().applicationServer();
    }

    public HostInfo selfHost() {
        return lifecycle.self();
    }

    /** Why the local state cannot be queried right now, or null when it can. */
    public String notQueryableReason() {
        KafkaStreams streams = lifecycle.streams();
        if (streams == null) {
            return "Kafka Streams is not started yet";
        }
        return HostedPartitions.notQueryableReason(streams.state(), observer);
    }

    /** The running Kafka Streams, or a 503 {@link ApiError} while its state cannot be queried. */
    public KafkaStreams requireQueryable() {
        String reason = notQueryableReason();
        if (reason != null) {
            throw ApiError.notReady(reason);
        }
        return lifecycle.streams();
    }

    /**
     * Where the key's partition lives: here (active or standby), elsewhere, or unknown while rebalancing. Cached
     * while RUNNING, per metadata generation ({@link MetadataCache}).
     */
    public Placement placement(String store, String key) {
        return placements.get(store + '\u0000' + key, () -> placementNow(store, key));
    }

    /**
     * The recipients of a walk for a key in this placement's partition, computed by {@code plan} and reused for up
     * to a second in one metadata generation and one version of the peers' reported lags.
     */
    public List<HostInfo> recipients(String store, Placement placement, java.util.function.Supplier<List<HostInfo>> plan) {
        if (placement.role() == Placement.Role.UNKNOWN) {
            return plan.get();
        }
        return recipientPlans.get(store + '\u0000' + placement.partition() + '\u0000' + peerReports.lagsVersion(), plan);
    }

    /** The same, read from Kafka Streams now: for a walk's next round, when the cached one led nowhere. */
    public Placement placementNow(String store, String key) {
        try {
            return Placement.of(requireQueryable().queryMetadataForKey(store, key, KEY_SERIALIZER), selfHost());
        } catch (IllegalStateException e) {
            throw ApiError.notReady("Kafka Streams metadata is not available yet");
        }
    }

    /** Every instance that hosts the store (active or standby). */
    public List<StreamsMetadata> hostsOf(String store) {
        return new ArrayList<>(requireQueryable().streamsMetadataForStore(store));
    }

    public Collection<StreamsMetadata> allClients() {
        return requireQueryable().metadataForAllStreamsClients();
    }

    /** Every other instance, usable as a recipient. */
    List<HostInfo> peers() {
        return HostedPartitions.others(allClients(), selfHost());
    }

    /** Every other instance hosting the store, usable as a recipient. */
    public List<HostInfo> peersOf(String store) {
        return HostedPartitions.others(hostsOf(store), selfHost());
    }

    /** The store's partitions each instance runs the active task of, and the instances holding a standby of each. */
    public record Holders(Map<HostInfo, Set<Integer>> active, Map<Integer, List<HostInfo>> standbys) {

        public Set<Integer> activeOf(HostInfo host) {
            return active.getOrDefault(host, Set.of());
        }
    }

    public Holders holdersOf(String store) {
        List<StreamsMetadata> hosts = hostsOf(store);
        return new Holders(HostedPartitions.activeByHost(hosts, inputTopic),
                HostedPartitions.standbysByPartition(hosts, inputTopic));
    }

    /** Every partition some instance runs an active task for: what a whole-store answer must cover. */
    public Set<Integer> allActivePartitions() {
        return HostedPartitions.activePartitions(allClients(), inputTopic);
    }

    /**
     * The copy of a partition this instance reads when it is not the processing active one: the active task while
     * it restores, or a standby (with its last measured lag).
     */
    public Copy copyHere(String store, int partition) {
        KafkaStreams streams = lifecycle.streams();
        boolean activeHere = streams != null
                && HostedPartitions.activeOn(streams.streamsMetadataForStore(store), selfHost(), partition, inputTopic);
        return activeHere ? Copy.RESTORING : Copy.standby(ownLag(store, partition));
    }

    /**
     * Measures this instance's own lags (KIP-535); routes/peer-lags calls it every PEER_LAGS_INTERVAL_MS and passes
     * them on to the metrics. Null when they cannot be measured now.
     */
    public Map<String, Map<Integer, Long>> refreshOwnLags() {
        KafkaStreams streams = lifecycle.streams();
        if (streams == null || notQueryableReason() != null || observer) {
            return null;
        }
        Map<String, Map<Integer, Long>> lags = new TreeMap<>();
        streams.allLocalStorePartitionLags().forEach((store, byPartition) -> byPartition.forEach((p, info) ->
                lags.computeIfAbsent(store, s -> new TreeMap<>()).put(p, info.offsetLag())));
        ownLags = lags;
        return lags;
    }

    Long ownLag(String store, int partition) {
        return ownLags.getOrDefault(store, Map.of()).get(partition);
    }

    /** The cluster a peer (host:port) said it is in; this instance's own for itself; "" when not known. */
    public String clusterOf(String address) {
        if (address.equals(self())) {
            return clusterName();
        }
        return peerReports.clusterOf(address);
    }

    /** What peers said of themselves: their lags and clusters ({@link PeerLags} records them). */
    PeerReports peerReports() {
        return peerReports;
    }

    /** Known lags of one partition's copies on other instances, by host; an unknown lag is absent. */
    public Map<HostInfo, Long> peerLagsOf(int partition) {
        return peerReports.lagsOf(partition);
    }
}
