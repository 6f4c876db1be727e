package io.wordcountiq.query;

/** HTTP header and exchange property names shared by the beans and the YAML routes. */
public final class Headers {

    public static final String SERVED_BY = "X-IQ-Served-By";
    public static final String STALE = "X-IQ-Stale";
    public static final String MISSING = "X-IQ-Missing";
    public static final String PARTITIONS = "X-IQ-Partitions";
    public static final String FORWARDED = "X-IQ-Forwarded";
    public static final String RETRY_AFTER = "Retry-After";

    /** Exchange property holding the outcome of a local read: FOUND or NOT_LOCAL. */
    public static final String OUTCOME = "iqOutcome";

    private Headers() {
    }
}
