package io.wordcountiq.forward;

import io.wordcountiq.cluster.RecipientPlanner;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The state of one request's walk over the key's holders (routes/forward.camel.yaml): the recipients of the current
 * round, who is next, what each host answered, and the answer that settled the walk. While state moves between
 * instances no holder may answer; the walk then goes round again, after a short pause and with fresh metadata,
 * until an answer settles it or the request's deadline passes. One object per request, kept in the exchange
 * property {@link io.wordcountiq.model.ExchangeProperties#WALK}.
 */
public final class ForwardWalk {

    /** What one host's reply or failure meant. */
    public enum Result {
        /** An answer that settles the walk (a value, an authoritative 404, a client error). */
        REPLIED,
        /** A value from a copy that may lag behind (restoring, lagging standby): kept while a caught-up one is sought. */
        PROVISIONAL,
        /** A 404 from a copy that may not have the key yet (restoring, lagging standby), or from no instance at all. */
        NOT_FOUND,
        /** The host holds no copy of the key's partition (421): its metadata moved on. */
        NOT_HOSTED,
        /** The instance answered but could not read the state right now (its own 503). */
        UNAVAILABLE,
        REFUSED,
        TIMEOUT,
        FAILED
    }

    /**
     * One host asked: what came of it, and, for a 503 from an instance, the reason it gave; {@code elapsedMs} is how
     * long the attempt took, from addressing the host to its reply or failure.
     */
    public record Tried(String host, Result result, Integer status, String reason, double elapsedMs) {

        public Tried(String host, Result result, Integer status) {
            this(host, result, status, null, 0);
        }
    }

    /** Pauses between rounds: short at first, while a rebalance settles, then longer. */
    private static final long[] PAUSES_MS = {25, 50, 100, 200, 400};

    private final KeyLookup request;
    private final long deadlineNanos;
    private final List<Tried> tried = new ArrayList<>();
    private Placement placement;
    private List<HostInfo> recipients;
    private int next;
    private int round;
    private long askedAtNanos;
    private QueryResult answer;
    private QueryResult provisional;
    private boolean provisionalAnswersNow;

    ForwardWalk(KeyLookup request, Placement placement, List<HostInfo> recipients, long deadlineNanos) {
        this.request = request;
        this.placement = placement;
        this.recipients = List.copyOf(recipients);
        this.deadlineNanos = deadlineNanos;
    }

    /** Another host of this round can be asked: nothing settled the walk and the deadline has not passed. */
    boolean hasNext(long nowNanos) {
        return answer == null && next < recipients.size() && nowNanos < deadlineNanos;
    }

    /** What is left of the walk's deadline, in milliseconds (0 once it has passed). */
    public long remainingMs(long nowNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - nowNanos));
    }

    /** Another round may start: nothing settled the walk and the deadline has not passed. */
    boolean anotherRound(long nowNanos) {
        return answer == null && nowNanos < deadlineNanos;
    }

    /** The pause before the next round (the route's delay step); none once settled or when the deadline is near. */
    public long getPauseMs() {
        long pause = PAUSES_MS[Math.min(round, PAUSES_MS.length - 1)];
        return answer != null || System.nanoTime() + pause * 1_000_000 >= deadlineNanos ? 0 : pause;
    }

    /** Starts the next round with recipients planned from fresh metadata. */
    void newRound(Placement freshPlacement, List<HostInfo> freshRecipients) {
        round++;
        placement = freshPlacement;
        recipients = List.copyOf(freshRecipients);
        next = 0;
    }

    /** Moves to the next recipient and returns it. */
    HostInfo advance() {
        HostInfo host = recipients.get(next++);
        askedAtNanos = System.nanoTime();
        return host;
    }

    HostInfo current() {
        return recipients.get(next - 1);
    }

    void record(Result result, Integer status) {
        record(result, status, null);
    }

    void record(Result result, Integer status, String reason) {
        tried.add(new Tried(RecipientPlanner.address(current()), result, status, reason,
                (System.nanoTime() - askedAtNanos) / 1_000_000.0));
    }

    /** A host's reply settles the walk. */
    void settle(QueryResult.Relayed reply) {
        record(Result.REPLIED, reply.status());
        this.answer = reply;
    }

    /** This instance's own copy settles the walk. */
    void settleHere(QueryResult ownAnswer) {
        this.answer = ownAnswer;
    }

    /**
     * A stale answer to give if no caught-up copy answers ({@code copy}: the copy it came from). The first one kept
     * wins, except that one which may answer at the end of a round replaces one which may not.
     */
    void keepProvisional(QueryResult stale, Copy copy) {
        boolean answersNow = answersAtRoundEnd(copy);
        if (provisional == null || (answersNow && !provisionalAnswersNow)) {
            provisional = stale;
            provisionalAnswersNow = answersNow;
        }
    }

    /**
     * At the end of a round: a provisional answer settles the walk if it comes from the key's restoring active task
     * or from a standby whose lag is known (it says how far behind it is), or if no other round fits before the
     * deadline. A standby whose lag is not known yet (one the last rebalance just created, restoring from nothing)
     * may be far behind, so while time remains the holders are asked again: it is the last resort.
     */
    boolean settleProvisional(long nowNanos) {
        if (answer == null && provisional != null
                && (provisionalAnswersNow || nowNanos + nextPauseNanos() >= deadlineNanos)) {
            answer = provisional;
            return true;
        }
        return false;
    }

    /** At the deadline: the provisional answer kept, if any (marked stale), else null. */
    QueryResult lastResort() {
        return answer != null ? answer : provisional;
    }

    /** The active task restoring what it held, or a standby of known lag; not a standby of unknown lag. */
    private static boolean answersAtRoundEnd(Copy copy) {
        return copy != null && (copy.kind() == Copy.Kind.RESTORING
                || (copy.kind() == Copy.Kind.STANDBY && copy.lag() != null));
    }

    private long nextPauseNanos() {
        return PAUSES_MS[Math.min(round, PAUSES_MS.length - 1)] * 1_000_000L;
    }

    QueryResult answer() {
        return answer;
    }

    KeyLookup request() {
        return request;
    }

    /** Where the key lived when the last round was planned. */
    public Placement placement() {
        return placement;
    }

    /** Every host asked so far, in order, with what came of it and how long it took. */
    public List<Tried> tried() {
        return List.copyOf(tried);
    }

    public int rounds() {
        return round + 1;
    }

    boolean everHadRecipients() {
        return !tried.isEmpty() || !recipients.isEmpty();
    }

    boolean anyTried(Result result) {
        return tried.stream().anyMatch(t -> t.result() == result);
    }
}
