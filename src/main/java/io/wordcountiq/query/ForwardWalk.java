package io.wordcountiq.query;

import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Relayed;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The state of one request's walk down its recipient list (routes/forward.camel.yaml): who is next, what each
 * host answered, and the reply that settled it. One object per request, kept in the exchange property
 * {@link io.wordcountiq.model.Headers#WALK}.
 */
public final class ForwardWalk {

    enum Result { REPLIED, NOT_FOUND, REFUSED, TIMEOUT, FAILED }

    record Tried(String host, Result result, Integer status) {
    }

    private final KeyLookup request;
    private final Placement placement;
    private final List<HostInfo> recipients;
    private final long deadlineNanos;
    private final List<Tried> tried = new ArrayList<>();
    private int next;
    private String target;
    private Relayed reply;

    ForwardWalk(KeyLookup request, Placement placement, List<HostInfo> recipients, long deadlineNanos) {
        this.request = request;
        this.placement = placement;
        this.recipients = List.copyOf(recipients);
        this.deadlineNanos = deadlineNanos;
    }

    /** Another host can be asked: nothing settled the walk, the list is not exhausted, the deadline has not passed. */
    boolean hasNext(long nowNanos) {
        return reply == null && next < recipients.size() && nowNanos < deadlineNanos;
    }

    /** Moves to the next recipient and returns it; {@code targetUri} addresses it for the hop route. */
    HostInfo advance(java.util.function.Function<HostInfo, String> targetUri) {
        HostInfo host = recipients.get(next++);
        target = targetUri.apply(host);
        return host;
    }

    /** The camel-http URI of the host being asked; the hop route calls it. */
    public String getTarget() {
        return target;
    }

    HostInfo current() {
        return recipients.get(next - 1);
    }

    void record(Result result, Integer status) {
        tried.add(new Tried(RecipientPlanner.address(current()), result, status));
    }

    void settle(Relayed reply) {
        record(Result.REPLIED, reply.status());
        this.reply = reply;
    }

    Relayed reply() {
        return reply;
    }

    KeyLookup request() {
        return request;
    }

    Placement placement() {
        return placement;
    }

    List<Tried> tried() {
        return tried;
    }

    boolean exhausted() {
        return next >= recipients.size();
    }

    boolean noRecipients() {
        return recipients.isEmpty();
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
