package io.wordcountiq.lookup;

import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.model.StoreRequest.KeyLookup;

/**
 * Which copy here may answer a key lookup, and whether its read settles the lookup or the key's other holders are
 * asked first (routes/local-or-forward.camel.yaml, routes/forward.camel.yaml).
 */
final class CopyChoice {

    /** What this instance does with a key lookup. */
    enum Step {
        /** Read the partition's copy here now. */
        READ_HERE,
        /** Read the partition's copy here once it covers the request's token. */
        CATCH_UP,
        /** Ask the key's holders. */
        FORWARD,
        /** A peer asked, and no copy of the partition is here. */
        NOT_HOSTED
    }

    private CopyChoice() {
    }

    static Step step(Placement placement, KeyLookup request) {
        Placement.Decision decision = placement.decide(request.localOnly());
        if (decision == Placement.Decision.FORWARD && placement.role() == Placement.Role.STANDBY
                && request.statesFreshness()) {
            // The nearest copy that is fresh enough answers: this instance's own standby first.
            return request.token().isEmpty() ? Step.READ_HERE : Step.CATCH_UP;
        }
        if (decision == Placement.Decision.FORWARD) {
            return Step.FORWARD;
        }
        if (decision == Placement.Decision.NOT_HOSTED) {
            return Step.NOT_HOSTED;
        }
        return request.token().isEmpty() ? Step.READ_HERE : Step.CATCH_UP;
    }

    /**
     * This instance's standby is only the nearest copy for a client's token read: it is looked at once, and the walk
     * asks on if it is behind.
     */
    static boolean looksOnce(KeyLookup request, Placement placement) {
        return placement.role() == Placement.Role.STANDBY && !request.localOnly();
    }

    /** A token read's read here, or the key's other holders when it does not settle the lookup. */
    static QueryResult afterCatchUp(KeyLookup request, Placement placement, QueryResult read) {
        // The owner itself does not cover the token in time: no other copy is further on.
        return read instanceof Unavailable && placement.role() == Placement.Role.ACTIVE
                ? read : settledHere(request, placement, read);
    }

    static QueryResult settledHere(KeyLookup request, Placement placement, QueryResult read) {
        if (!request.localOnly() && !settles(read, request)) {
            // This copy is restoring (it may lag behind, or not have the key yet), or cannot be read right now: the
            // key's other holders are asked first, and this copy is the answer of last resort between rounds
            // (routes/forward.camel.yaml).
            return new NotLocal(request, placement);
        }
        return read;
    }

    /**
     * A read that answers a client without asking anyone else: the processing active copy's value or absence, or,
     * for a request that says how fresh it must be, any copy that was found fresh enough.
     */
    static boolean settles(QueryResult read, StoreRequest request) {
        if (request.statesFreshness() && (read instanceof Found || read instanceof Absent)) {
            return true;
        }
        return (read instanceof Found found && !found.stale())
                || (read instanceof Absent absent && absent.copy().authoritative());
    }

    /** ?maxLag=N: a restoring copy (its lag is not known) or a standby further behind does not answer. */
    static QueryResult beyondMaxLag(StoreRequest request, Copy copy) {
        if (request.maxLag() != null && copy.kind() == Copy.Kind.RESTORING) {
            return new Unavailable("this copy is restoring: how far behind it is is not known, and maxLag="
                    + request.maxLag() + " asks");
        }
        if (request.maxLag() != null && copy.kind() == Copy.Kind.STANDBY
                && (copy.lag() == null || copy.lag() > request.maxLag())) {
            return new Unavailable("this standby copy is " + (copy.lag() == null ? "an unknown number of"
                    : copy.lag()) + " records behind, more than maxLag=" + request.maxLag());
        }
        return null;
    }
}
