package io.wordcountiq.model;

import java.util.Locale;

/**
 * Which copy of a partition's state a read came from, and how far behind it may be. It travels with an answer
 * (X-IQ-Copy, X-IQ-Lag), so whoever receives a forwarded reply knows what the reply is worth.
 *
 * @param lag for a standby: its offset lag in records as last measured (KIP-535), or null when unknown
 */
public record Copy(Kind kind, Long lag) {

    public enum Kind {
        /** The active task, caught up and processing (its stream thread is RUNNING). */
        ACTIVE,
        /** The active task while it restores its state, after a rebalance moved it here. */
        RESTORING,
        /** A standby replica. */
        STANDBY,
        /** An observer's global table. */
        GLOBAL
    }

    public static final Copy ACTIVE = new Copy(Kind.ACTIVE, null);
    public static final Copy RESTORING = new Copy(Kind.RESTORING, null);
    public static final Copy GLOBAL = new Copy(Kind.GLOBAL, null);

    /**
     * Under exactly-once, a caught-up standby still reports an offset lag of 1: the commit marker after the last
     * record. A standby this close counts as caught up.
     */
    public static final long CAUGHT_UP_LAG = 1;

    public static Copy standby(Long lag) {
        return new Copy(Kind.STANDBY, lag);
    }

    /** The answer may lag behind the active copy. */
    public boolean stale() {
        return kind == Kind.RESTORING || kind == Kind.STANDBY;
    }

    /**
     * The copy holds everything written so far: the processing active task, a global table, or a standby known to
     * be caught up. A restoring copy, or a standby whose lag is unknown or larger, may lag behind.
     */
    public boolean caughtUp() {
        return kind == Kind.ACTIVE || kind == Kind.GLOBAL || (kind == Kind.STANDBY && lag != null && lag <= CAUGHT_UP_LAG);
    }

    /** A key absent from this copy does not exist: only a caught-up copy may say so. */
    public boolean authoritative() {
        return caughtUp();
    }

    /** The value of the X-IQ-Copy header. */
    public String header() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Reads X-IQ-Copy and X-IQ-Lag from a reply; null when the reply names no copy. */
    public static Copy parse(String copyHeader, String lagHeader) {
        if (copyHeader == null) {
            return null;
        }
        Kind kind;
        try {
            kind = Kind.valueOf(copyHeader.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Long lag = null;
        if (lagHeader != null) {
            try {
                lag = Long.parseLong(lagHeader.trim());
            } catch (NumberFormatException e) {
                lag = null;
            }
        }
        return new Copy(kind, lag);
    }
}
