package io.wordcountiq.cluster;

import io.wordcountiq.http.Replies;
import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.streams.Names;
import io.wordcountiq.wire.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** The metadata endpoints: which instances exist, what they host, and who owns a key. */
public class Instances {

    private final StoreMetadata metadata;
    private final RequestValidator validator;
    private final Replies replies;
    private final PeerHealth health;

    public Instances(StoreMetadata metadata, RequestValidator validator, Replies replies, PeerHealth health) {
        this.health = health;
        this.metadata = metadata;
        this.validator = validator;
        this.replies = replies;
    }

    /** GET /state/instances: every instance; this one's own entry carries its {@link SelfReport}. */
    public void all(Exchange exchange) {
        KafkaStreams streams = metadata.requireQueryable();
        replies.found(exchange, Found.of(Json.write(describe(streams.metadataForAllStreamsClients(), true))));
    }

    public void forStore(Exchange exchange) {
        String store = exchange.getMessage().getHeader("store", String.class);
        validator.requireKnown(store);
        KafkaStreams streams = metadata.requireQueryable();
        replies.found(exchange, Found.of(Json.write(describe(streams.streamsMetadataForStore(store), false))));
    }

    public void forKey(Exchange exchange) {
        String store = exchange.getMessage().getHeader("store", String.class);
        validator.requireKnown(store);
        String key = validator.key(exchange.getMessage().getHeader("key", String.class), "key");
        KafkaStreams streams = metadata.requireQueryable();
        if (metadata.isObserver()) {
            Map<String, Object> body = new LinkedHashMap<>(hostOf(metadata.selfHost()));
            body.put("note", "observers hold every key; any observer answers");
            replies.found(exchange, Found.of(Json.write(body)));
            return;
        }
        KeyQueryMetadata md = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE) {
            throw ApiError.notReady("no instance owns this key right now (rebalancing)");
        }
        replies.found(exchange, Found.of(Json.write(holders(store, md))));
    }

    /** A key's holders: the owner's host and port, the store, the partition and its standbys with their known lags. */
    public Map<String, Object> holders(String store, KeyQueryMetadata md) {
        Map<String, Object> body = new LinkedHashMap<>(hostOf(md.activeHost()));
        reachability(body, md.activeHost());
        body.put("storeNames", List.of(store));
        body.put("partition", md.partition());
        Map<HostInfo, Long> lags = new java.util.HashMap<>(metadata.peerLagsOf(md.partition()));
        Long own = metadata.ownLag(store, md.partition());
        if (own != null) {
            lags.put(metadata.selfHost(), own);
        }
        body.put("standbys", md.standbyHosts().stream().sorted(Comparator.comparing(RecipientPlanner::address)).map(h -> {
            Map<String, Object> standby = hostOf(h);
            reachability(standby, h);
            if (lags.containsKey(h)) {
                standby.put("offsetLag", lags.get(h));
            }
            return standby;
        }).toList());
        return body;
    }

    /** @param everyInstance the clients are every instance (not those of one store): this one is listed in any case */
    private List<Map<String, Object>> describe(Collection<StreamsMetadata> clients, boolean everyInstance) {
        HostInfo self = metadata.selfHost();
        SelfReport report = metadata.selfReport();
        if (metadata.isObserver()) {
            // A global-only application has no task assignment, so Kafka Streams lists no clients: describe this one.
            Map<String, Object> entry = new LinkedHashMap<>(hostOf(self));
            entry.put("storeNames", List.of(Names.WORD_COUNT_STORE));
            entry.putAll(report.fields());
            return List.of(entry);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        boolean selfListed = false;
        for (StreamsMetadata md : clients.stream().sorted(Comparator.comparing(m -> RecipientPlanner.address(m.hostInfo()))).toList()) {
            Map<String, Object> entry = new LinkedHashMap<>(hostOf(md.hostInfo()));
            entry.put("storeNames", new ArrayList<>(new java.util.TreeSet<>(md.stateStoreNames())));
            entry.put("activePartitions", partitions(md.topicPartitions()));
            entry.put("standbyPartitions", partitions(md.standbyTopicPartitions()));
            entry.put("standbyStoreNames", new ArrayList<>(new java.util.TreeSet<>(md.standbyStateStoreNames())));
            if (md.hostInfo().equals(self)) {
                entry.putAll(report.fields());
                selfListed = true;
            }
            out.add(entry);
        }
        if (!selfListed && everyInstance) {
            // No assignment yet (a rebalance is under way): this instance is one all the same, with nothing to host.
            Map<String, Object> entry = new LinkedHashMap<>(hostOf(self));
            entry.put("storeNames", List.of());
            entry.put("activePartitions", List.of());
            entry.put("standbyPartitions", List.of());
            entry.put("standbyStoreNames", List.of());
            entry.putAll(report.fields());
            out.add(entry);
        }
        return out;
    }

    private static List<String> partitions(java.util.Set<TopicPartition> tps) {
        return tps.stream().map(TopicPartition::toString).sorted().toList();
    }

    /** A holder this instance cannot reach now is said so ("reachable": false), with its cluster when known. */
    private void reachability(Map<String, Object> entry, HostInfo host) {
        String address = RecipientPlanner.address(host);
        String cluster = metadata.clusterOf(address);
        if (!cluster.isEmpty()) {
            entry.put("cluster", cluster);
        }
        if (!health.reachable(address)) {
            entry.put("reachable", false);
        }
    }

    private static Map<String, Object> hostOf(HostInfo h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.host());
        m.put("port", h.port());
        return m;
    }
}
