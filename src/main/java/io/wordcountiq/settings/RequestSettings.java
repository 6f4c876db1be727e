package io.wordcountiq.settings;

/**
 * What one request may ask and how many run at once.
 *
 * @param defaultMaxLag the standby lag a read accepts when it names none (DEFAULT_MAX_LAG), or null for any
 */
public record RequestSettings(
        long requestTimeoutMs,
        int maxKeyLength,
        int maxBodyBytes,
        int pageMaxLimit,
        Long defaultMaxLag,
        int ingestConcurrency,
        long ingestTimeoutMs,
        int wholeStoreConcurrency,
        int wholeStoreThreads,
        int admitKeyLookups,
        int admitTokenWaits,
        int admitPages,
        int admitUi,
        int admitIngest) {

    static RequestSettings read(SettingValues v) {
        return new RequestSettings(
                v.number("request.timeout.ms"),
                v.integer("max.key.length"),
                v.integer("max.body.bytes"),
                v.integer("page.max.limit"),
                v.optionalCount("default.max.lag", "DEFAULT_MAX_LAG"),
                v.integer("ingest.concurrency"),
                v.number("ingest.timeout.ms"),
                v.integer("whole.store.concurrency"),
                v.integer("whole.store.threads"),
                v.integer("admit.key.lookups"),
                v.integer("admit.token.waits"),
                v.integer("admit.pages"),
                v.integer("admit.ui"),
                v.integer("admit.ingest"));
    }
}
