package io.wordcountiq.ui;

import io.wordcountiq.cluster.SelfReport;
import io.wordcountiq.ui.ClusterPage.ClusterGroup;
import io.wordcountiq.ui.ClusterPage.InstanceView;
import io.wordcountiq.ui.ClusterPage.Standby;
import io.wordcountiq.ui.ClusterPage.Status;
import io.wordcountiq.ui.ClusterPage.StoreView;
import io.wordcountiq.ui.ClusterPage.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * One answer of {@code GET /ui/api/cluster} while it is put together (routes/ui.camel.yaml): who is listed (every
 * member of the consumer group in this instance's metadata, every configured observer, and instances that left the
 * group a short while ago), what each said of itself when asked in parallel, and the view grouped by cluster that
 * the page shows. Probes may record from several threads; once {@link #assemble()} has run, late ones are ignored
 * and their hosts are shown as not having answered in time.
 */
public final class ClusterSurvey {

    /** What metadata says a member hosts of one store: partitions of its active tasks and of its standbys. */
    public record Hosting(String store, List<Integer> active, List<Integer> standby) {
    }

    /** What was last learnt of an instance that was listed before (kept by {@link ClusterSteps} for a while). */
    public record Remembered(String cluster, String mode, long lastListedMs) {
    }

    /**
     * What asking one host gave: its self-description (it answered), or why it gave none and whether it is reachable
     * at all (an instance that answered 503 is, a refused connection or a proxy's 502 is not).
     */
    record Probe(SelfReport report, boolean reachable, String problem, double ms) {
    }

    private final SelfReport self;
    private final Map<String, List<Hosting>> members;
    private final List<String> observers;
    private final Map<String, Remembered> remembered;
    private final String metadataProblem;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private final List<String> unreachableFromHere = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean sealed;

    /**
     * @param members    every member in metadata (address → what it hosts), this instance included when assigned
     * @param observers  UI_OBSERVERS
     * @param remembered what was learnt before of instances listed earlier; those no longer in the group are listed
     *                   too, so an instance that just died or left still shows (as unreachable, or not ready)
     */
    public ClusterSurvey(SelfReport self, Map<String, List<Hosting>> members, List<String> observers,
                         Map<String, Remembered> remembered, String metadataProblem) {
        this.self = self;
        this.members = Map.copyOf(members);
        this.observers = List.copyOf(observers);
        this.remembered = Map.copyOf(remembered);
        this.metadataProblem = metadataProblem;
    }

    /** What metadata says each store of one member is hosted as (the input topic's partitions belong to no store). */
    public static List<Hosting> hostingOf(StreamsMetadata md, String inputTopic) {
        Set<String> stores = new TreeSet<>(md.stateStoreNames());
        stores.addAll(md.standbyStateStoreNames());
        List<Hosting> out = new ArrayList<>();
        for (String store : stores) {
            out.add(new Hosting(store,
                    md.stateStoreNames().contains(store) ? partitions(md.topicPartitions(), inputTopic) : List.of(),
                    md.standbyStateStoreNames().contains(store) ? partitions(md.standbyTopicPartitions(), inputTopic) : List.of()));
        }
        return out;
    }

    private static List<Integer> partitions(Set<TopicPartition> tps, String inputTopic) {
        return tps.stream().filter(tp -> !tp.topic().equals(inputTopic)).map(TopicPartition::partition)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    /** Every host to ask (not this instance): members, configured observers, then remembered ones, each once. */
    public List<String> targets() {
        Set<String> out = new LinkedHashSet<>(new TreeSet<>(members.keySet()));
        out.addAll(observers);
        out.addAll(new TreeSet<>(remembered.keySet()));
        out.remove(self.address());
        return List.copyOf(out);
    }

    /** A host answered its GET /state/instances with its self-description. */
    void described(String address, SelfReport report, double ms) {
        record(address, new Probe(report, true, report == null ? "it does not describe itself" : null, ms));
    }

    /** An instance answered but could not describe itself (its own 503, with its reason). */
    void notReady(String address, String reason, double ms) {
        record(address, new Probe(null, true, reason, ms));
    }

    /** The host could not be asked: refused, timed out, or a proxy on the way answered for it. */
    void unreachable(String address, String reason, double ms) {
        record(address, new Probe(null, false, reason, ms));
    }

    /** This instance knows it cannot reach the host (it was not asked again): listed in the view's "unreachable". */
    void unreachableFromHere(String address, String reason) {
        unreachableFromHere.add(address);
        unreachable(address, reason, 0);
    }

    private void record(String address, Probe probe) {
        if (!sealed) {
            probes.put(address, probe);
        }
    }

    /** What asking a host gave, or null while it has not answered (or never did in time). */
    Probe probe(String address) {
        return probes.get(address);
    }

    /** The view of every listed instance, grouped by cluster; from now on probes are ignored. */
    public View assemble() {
        sealed = true;
        Map<String, List<InstanceView>> byCluster = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        List<String> listed = new ArrayList<>();
        listed.add(self.address());
        listed.addAll(targets());
        for (String address : listed) {
            boolean isSelf = address.equals(self.address());
            Probe probe = isSelf ? new Probe(self, true, null, 0) : probes.get(address);
            SelfReport report = probe == null ? null : probe.report();
            Remembered before = remembered.get(address);
            String cluster = report != null ? report.cluster() : before == null ? null : before.cluster();
            cluster = cluster == null || cluster.isEmpty() ? null : cluster;
            boolean configured = observers.contains(address);
            String mode = report != null ? report.mode()
                    : members.containsKey(address) ? "wordcount"
                    : before != null ? before.mode()
                    : configured ? "observer" : null;
            Status status;
            String reason = null;
            if (probe == null) {
                status = Status.UNREACHABLE;
                reason = "no answer in time";
            } else if (report != null) {
                status = report.ready() ? Status.READY : Status.NOT_READY;
                reason = report.ready() ? null : "Kafka Streams is " + report.state();
            } else {
                status = probe.reachable() ? Status.NOT_READY : Status.UNREACHABLE;
                reason = probe.problem();
            }
            String advertised = report != null && !report.address().equals(address) ? report.address() : null;
            byCluster.computeIfAbsent(cluster, c -> new ArrayList<>()).add(new InstanceView(address, mode, isSelf,
                    members.containsKey(address), configured, status, reason, report == null ? null : report.state(),
                    advertised, isSelf || probe == null ? null : round(probe.ms()), stores(address, mode, report)));
        }
        List<ClusterGroup> groups = new ArrayList<>();
        byCluster.forEach((cluster, instances) -> {
            instances.sort(Comparator.comparing((InstanceView i) -> "observer".equals(i.mode()))
                    .thenComparing(InstanceView::address));
            groups.add(new ClusterGroup(cluster, List.copyOf(instances)));
        });
        return new View(self.address(), metadataProblem, unreachableFromHere.isEmpty() ? null : unreachableFromHere,
                List.copyOf(groups));
    }

    /** What each listed instance was, for the next answers: who left the group stays listed a while. */
    public Map<String, Remembered> remember(long nowMs) {
        Map<String, Remembered> out = new LinkedHashMap<>();
        for (String address : targets()) {
            Probe probe = probes.get(address);
            SelfReport report = probe == null ? null : probe.report();
            Remembered before = remembered.get(address);
            boolean listedNow = members.containsKey(address) || observers.contains(address);
            String cluster = report != null ? report.cluster() : before == null ? null : before.cluster();
            String mode = report != null ? report.mode() : before == null ? null : before.mode();
            if (members.containsKey(address) && mode == null) {
                mode = "wordcount";
            }
            out.put(address, new Remembered(cluster, mode, listedNow || before == null ? nowMs : before.lastListedMs()));
        }
        return out;
    }

    private List<StoreView> stores(String address, String mode, SelfReport report) {
        if ("observer".equals(mode)) {
            return List.of(new StoreView(io.wordcountiq.streams.Names.WORD_COUNT_STORE, null, null, true));
        }
        List<StoreView> out = new ArrayList<>();
        Map<String, Map<Integer, Long>> lags = report == null ? Map.of() : report.offsetLag();
        for (Hosting hosting : members.getOrDefault(address, List.of())) {
            Map<Integer, Long> storeLags = lags.getOrDefault(hosting.store(), Map.of());
            out.add(new StoreView(hosting.store(), hosting.active(),
                    hosting.standby().stream().map(p -> new Standby(p, storeLags.get(p))).toList(), null));
        }
        return out;
    }

    private static Double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }
}
