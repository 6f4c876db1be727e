package io.wordcountiq.lookup;

import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.consistency.Coverage;
import io.wordcountiq.consistency.TokenPoll;
import io.wordcountiq.consistency.TokenWait;
import io.wordcountiq.http.Failures;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import java.util.HashMap;
import java.util.Map;

/**
 * One read's wait for its copy here to cover the request's token: a read now, and again every
 * {@link TokenPoll#INTERVAL_MS} until the deadline, on the request's event loop. The copy is read again after the
 * token's writes are found covered, so the answer is never older than what the check saw.
 */
final class CoveringRead extends TokenWait<QueryResult> {

    private final CopyReader reader;
    private final Consistency consistency;
    private final KeyLookup request;
    private final int partition;
    private final Map<String, Long> targets = new HashMap<>();
    /** The kind of copy the token's writes were found covered in, or null while they are not (or none concern it). */
    private Copy.Kind writesCoveredIn;

    CoveringRead(CopyReader reader, Consistency consistency, KeyLookup request, int partition, long deadlineNanos,
                 Caller caller) {
        super(deadlineNanos, caller);
        this.reader = reader;
        this.consistency = consistency;
        this.request = request;
        this.partition = partition;
    }

    @Override
    protected void attempt() {
        CopyRead read = reader.read(request, partition);
        if (read.copy() == null) {
            out.complete(read.result());
            return;
        }
        QueryResult tooFar = CopyChoice.beyondMaxLag(request, read.copy());
        if (tooFar != null) {
            out.complete(tooFar);
            return;
        }
        String behind = Coverage.positionBehind(request.token(), partition, read.position());
        if (behind == null && request.token().committedConcern(partition) && writesCoveredIn != read.copy().kind()) {
            Copy copy = read.copy();
            consistency.committedBehind(request.token(), request.store(), partition, copy, read.position(), targets)
                    .whenCompleteAsync((writesBehind, failure) -> {
                        if (failure != null) {
                            out.complete(new Unavailable(Failures.unwrap(failure).getMessage()));
                        } else if (writesBehind == null) {
                            // Covered now, but the read was made before the check: read again, the copy only moves on.
                            writesCoveredIn = copy.kind();
                            attempt();
                        } else {
                            again(writesBehind);
                        }
                    }, caller.loop());
            return;
        }
        if (behind == null) {
            out.complete(read.withToken(request, partition));
            return;
        }
        again(behind);
    }

    @Override
    protected void giveUp(String behind) {
        out.complete(new Unavailable("this copy does not cover X-IQ-Token yet: " + behind));
    }
}
