package io.wordcountiq.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What Kafka Streams' metadata says the instances hold. The input topic's partitions belong to the tasks that split
 * lines, not to any store, so they count as no store partition.
 */
final class HostedPartitions {

    private HostedPartitions() {
    }

    /** Why the state cannot be queried in this Kafka Streams state, or null when it can. */
    static String notQueryableReason(KafkaStreams.State state, boolean observer) {
        // An observer's global table is only complete once RUNNING; word-count stores stay readable while rebalancing.
        boolean queryable = state == KafkaStreams.State.RUNNING || (!observer && state == KafkaStreams.State.REBALANCING);
        return queryable ? null : "Kafka Streams is " + state;
    }

    /** The other instances, usable as recipients, each once. */
    static List<HostInfo> others(Collection<StreamsMetadata> clients, HostInfo self) {
        return clients.stream()
                .map(StreamsMetadata::hostInfo)
                .filter(h -> !h.equals(self) && RecipientPlanner.usable(h))
                .distinct()
                .toList();
    }

    /** The store partitions each instance runs the active task of. */
    static Map<HostInfo, Set<Integer>> activeByHost(Collection<StreamsMetadata> clients, String inputTopic) {
        Map<HostInfo, Set<Integer>> active = new HashMap<>();
        clients.forEach(md -> storePartitions(md.topicPartitions(), inputTopic)
                .forEach(p -> active.computeIfAbsent(md.hostInfo(), h -> new TreeSet<>()).add(p)));
        return active;
    }

    /** The instances holding a standby of each store partition. */
    static Map<Integer, List<HostInfo>> standbysByPartition(Collection<StreamsMetadata> clients, String inputTopic) {
        Map<Integer, List<HostInfo>> standbys = new TreeMap<>();
        clients.forEach(md -> storePartitions(md.standbyTopicPartitions(), inputTopic)
                .forEach(p -> standbys.computeIfAbsent(p, q -> new ArrayList<>()).add(md.hostInfo())));
        return standbys;
    }

    /** Every store partition some instance runs an active task for. */
    static Set<Integer> activePartitions(Collection<StreamsMetadata> clients, String inputTopic) {
        return clients.stream()
                .flatMap(md -> storePartitions(md.topicPartitions(), inputTopic))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether {@code host} runs the active task of the store partition. */
    static boolean activeOn(Collection<StreamsMetadata> clients, HostInfo host, int partition, String inputTopic) {
        return clients.stream()
                .filter(md -> md.hostInfo().equals(host))
                .flatMap(md -> storePartitions(md.topicPartitions(), inputTopic))
                .anyMatch(p -> p == partition);
    }

    private static Stream<Integer> storePartitions(Set<TopicPartition> partitions, String inputTopic) {
        return partitions.stream().filter(tp -> !tp.topic().equals(inputTopic)).map(TopicPartition::partition);
    }
}
