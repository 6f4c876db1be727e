package io.wordcountiq.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.PeerCall;
import io.wordcountiq.model.PeerReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which peers this instance can reach now, shared by every request: a peer that refused a connection or timed out (or
 * that a proxy on the way answered for with 502-504) is unreachable, and skipped by every walk and whole-store read
 * until a probe (routes/peer-health.camel.yaml, every PEER_PROBE_INTERVAL_MS) or any call finds it answering again.
 * So a host that cannot be reached costs one timeout, not one per request. Each change is one WARN line, and the
 * failures and skips per host and cluster are metrics; readiness is not touched: a pod that cannot reach the other
 * cluster can still serve what it holds.
 */
public class PeerHealth {

    private static final Logger LOG = LoggerFactory.getLogger(PeerHealth.class);

    /** Since when a peer is unreachable, and why. */
    private record Down(long sinceMs, String reason) {
    }

    private final Map<String, Down> down = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Function<String, String> clusterOf;
    private final LongSupplier clock;
    private volatile MeterRegistry meters;

    /** @param clusterOf the cluster a peer (host:port) said it is in, or "" when not known */
    public PeerHealth(Function<String, String> clusterOf, LongSupplier clock) {
        this.clusterOf = clusterOf;
        this.clock = clock;
    }

    /** What one call to a peer showed (the peer client reports every reply). */
    public void observe(PeerReply reply) {
        String address = reply.address();
        if (reply instanceof PeerReply.Failed failed) {
            count("wordcount.iq.peer.failures", address, failed.failure().name().toLowerCase(java.util.Locale.ROOT));
            if (failed.failure() != PeerReply.Failure.FAILED) {
                lost(address, failed.failure() == PeerReply.Failure.TIMEOUT ? "no answer in time" : "connection refused");
            }
            return;
        }
        PeerReply.Answered answered = (PeerReply.Answered) reply;
        if (answered.fromInstance()) {
            back(address);
        } else if (answered.status() >= 502 && answered.status() <= 504) {
            count("wordcount.iq.peer.failures", address, "proxy_" + answered.status());
            lost(address, "a proxy on the way answered " + answered.status());
        }
    }

    private void lost(String address, String reason) {
        if (down.putIfAbsent(address, new Down(clock.getAsLong(), reason)) == null) {
            LOG.warn("Peer {}{} cannot be reached from this instance ({}): it is skipped until it answers again",
                    address, cluster(address), reason);
        }
    }

    private void back(String address) {
        Down was = down.remove(address);
        if (was != null) {
            LOG.warn("Peer {}{} answers again, after {} s unreachable", address, cluster(address),
                    (clock.getAsLong() - was.sinceMs()) / 1000);
        }
    }

    public boolean reachable(String address) {
        return !down.containsKey(address);
    }

    /** The same hosts without those that cannot be reached now (each one skipped counts). */
    public List<HostInfo> reachableOf(List<HostInfo> hosts) {
        if (down.isEmpty()) {
            return hosts;
        }
        List<HostInfo> out = new ArrayList<>(hosts.size());
        for (HostInfo host : hosts) {
            String address = RecipientPlanner.address(host);
            if (reachable(address)) {
                out.add(host);
            } else {
                count("wordcount.iq.peer.skipped", address, null);
            }
        }
        return out;
    }

    /** Every peer that cannot be reached now, with since when (epoch ms) and why. */
    public Map<String, Map<String, Object>> unreachable() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        down.forEach((address, d) -> out.put(address, Map.of("sinceMs", d.sinceMs(), "reason", d.reason(),
                "cluster", clusterOf.apply(address))));
        return out;
    }

    /** The probe route's step: a call to every unreachable peer (its reply, observed, clears it). */
    public void probes(Exchange exchange) {
        exchange.setProperty(ExchangeProperties.PEER_CALL, down.keySet().stream()
                .map(address -> new PeerCall(address, "/state/instances", null, Map.of(), PeerCall.Mode.BUFFERED)).toList());
    }

    /** {@code wordcount_iq_peer_reachable{host,cluster}}, failures and skips per host, in /observe/metrics. */
    public void bindTo(MeterRegistry registry) {
        this.meters = registry;
    }

    private void count(String name, String address, String kind) {
        MeterRegistry registry = meters;
        if (registry == null) {
            return;
        }
        String cluster = clusterOf.apply(address);
        counters.computeIfAbsent(name + ' ' + address + ' ' + cluster + ' ' + kind, k -> {
            Counter.Builder builder = Counter.builder(name).tag("host", address).tag("cluster", cluster);
            if (kind != null) {
                builder.tag("kind", kind);
            }
            Gauge.builder("wordcount.iq.peer.reachable", this, h -> h.reachable(address) ? 1 : 0)
                .description("1 while this instance can reach the peer, 0 while it cannot")
                    .tag("host", address).tag("cluster", cluster).register(registry);
            return builder.register(registry);
        }).increment();
    }

    private String cluster(String address) {
        String cluster = clusterOf.apply(address);
        return cluster.isEmpty() ? "" : " (cluster " + cluster + ")";
    }
}
