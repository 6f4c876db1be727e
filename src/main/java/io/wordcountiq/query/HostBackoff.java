package io.wordcountiq.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Hosts that just refused a connection or timed out are asked last for a short while, so a dead instance costs one
 * timeout rather than one per request (in Kubernetes a dead pod's IP costs the whole connect timeout). The backoff
 * doubles while a host keeps failing, up to a cap; after it ends the host is probed again, and one answer clears it.
 */
public final class HostBackoff {

    static final long FIRST_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 10_000;

    private record Failing(long untilMs, long backoffMs) {
    }

    private final Map<HostInfo, Failing> failing = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public HostBackoff() {
        this(System::currentTimeMillis);
    }

    HostBackoff(LongSupplier clock) {
        this.clock = clock;
    }

    /** The host could not be reached: ask it last until its backoff ends. */
    public void unreachable(HostInfo host) {
        long now = clock.getAsLong();
        failing.compute(host, (h, previous) -> {
            long backoff = previous == null ? FIRST_BACKOFF_MS
                    : previous.untilMs() > now - previous.backoffMs() ? Math.min(previous.backoffMs() * 2, MAX_BACKOFF_MS)
                    : FIRST_BACKOFF_MS;
            return new Failing(now + backoff, backoff);
        });
    }

    /** The host answered: ask it in its normal place again. */
    public void answered(HostInfo host) {
        if (!failing.isEmpty()) {
            failing.remove(host);
        }
    }

    public boolean inBackoff(HostInfo host) {
        Failing f = failing.get(host);
        return f != null && f.untilMs() > clock.getAsLong();
    }

    /** The same hosts, those in backoff moved to the end (keeping the order within each group). */
    public List<HostInfo> order(List<HostInfo> hosts) {
        if (failing.isEmpty()) {
            return hosts;
        }
        List<HostInfo> healthy = new ArrayList<>(hosts.size());
        List<HostInfo> last = new ArrayList<>();
        for (HostInfo h : hosts) {
            (inBackoff(h) ? last : healthy).add(h);
        }
        healthy.addAll(last);
        return healthy;
    }
}
