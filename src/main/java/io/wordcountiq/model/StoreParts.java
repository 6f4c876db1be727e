package io.wordcountiq.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one whole-store answer, added as the peers' parts open. Once the merge has taken them, the set is
 * sealed: a part that opens too late is refused (and its opener closes it), so no connection is left behind.
 */
public final class StoreParts {

    private final List<StorePart> parts = new ArrayList<>();
    private boolean sealed;

    public StoreParts() {
    }

    /** Adds a part; false once sealed (the caller then closes the part). */
    public synchronized boolean add(StorePart part) {
        if (sealed) {
            return false;
        }
        parts.add(part);
        return true;
    }

    /** Every part added so far; more may still be. */
    public synchronized List<StorePart> snapshot() {
        return List.copyOf(parts);
    }

    /** Every part added so far; no more are accepted. */
    public synchronized List<StorePart> seal() {
        sealed = true;
        return List.copyOf(parts);
    }

    /** Closes every part (a failed or finished request); safe to call more than once. */
    public synchronized void closeAll() {
        sealed = true;
        for (StorePart part : parts) {
            try {
                part.entries().close();
            } catch (RuntimeException ignored) {
                // Closing a failed part may fail too.
            }
        }
    }
}
