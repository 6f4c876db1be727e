package io.wordcountiq.query;

import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.concurrent.Semaphore;

/**
 * How many unbounded reads of a whole store run at once (WHOLE_STORE_CONCURRENCY): clients' "all" and range
 * requests, and the parts this instance reads for peers' ones, each counted apart. A page is bounded work (at most
 * PAGE_MAX_LIMIT entries from each part), so pages, and the parts read for them, are never counted: like a key
 * lookup, they are limited by the HTTP workers only.
 */
final class WholeStoreLimits {

    private static final Runnable NOTHING = () -> { };

    private final Semaphore gathers;
    private final Semaphore parts;

    WholeStoreLimits(int concurrency) {
        this.gathers = new Semaphore(concurrency);
        this.parts = new Semaphore(concurrency);
    }

    /** Admits the request: what to run when it is done, or null when too many of its kind run already. */
    Runnable admit(RangeRequest request) {
        if (request.paged()) {
            return NOTHING;
        }
        Semaphore permits = request.localOnly() ? parts : gathers;
        return permits.tryAcquire() ? permits::release : null;
    }
}
