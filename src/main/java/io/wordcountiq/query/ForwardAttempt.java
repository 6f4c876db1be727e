package io.wordcountiq.query;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/** The state of one request's walk down its recipient list. */
final class ForwardAttempt {

    enum Result { REPLIED, NOT_FOUND, REFUSED, TIMEOUT, FAILED }

    record Tried(String host, Result result, Integer status) {
    }

    record Reply(int status, byte[] body, String contentType, String servedBy, String stale, String retryAfter) {
    }

    final List<HostInfo> recipients;
    final Placement placement;
    final String key;
    final String path;
    final long deadlineNanos;
    final List<Tried> tried = new ArrayList<>();
    int next;
    Reply reply;

    ForwardAttempt(List<HostInfo> recipients, Placement placement, String key, String path, long deadlineNanos) {
        this.recipients = recipients;
        this.placement = placement;
        this.key = key;
        this.path = path;
        this.deadlineNanos = deadlineNanos;
    }

    boolean hasNext() {
        return reply == null && next < recipients.size() && System.nanoTime() < deadlineNanos;
    }

    HostInfo current() {
        return recipients.get(next - 1);
    }

    /** A 404 from the key's active or standby host is authoritative: that host holds the key's partition. */
    boolean authoritativeNotFound() {
        if (placement.role() == Placement.Role.UNKNOWN) {
            return false;
        }
        return tried.stream().anyMatch(t -> t.result() == Result.NOT_FOUND && holdsPartition(t.host()));
    }

    private boolean holdsPartition(String host) {
        var md = placement.metadata();
        return host.equals(RecipientPlanner.address(md.activeHost()))
                || md.standbyHosts().stream().anyMatch(h -> RecipientPlanner.address(h).equals(host));
    }
}
