package io.wordcountiq.config;

import io.wordcountiq.model.QueryResult;
import org.apache.camel.spi.Registry;

/** Key lookups (routes/lookup): local reads, the store metadata they consult, and the results routes branch on. */
final class LookupBinder {

    private LookupBinder() {
    }

    static void bind(Registry registry, SharedBeans shared) {
        registry.bind("settings", shared.settings());
        registry.bind("streamsLifecycle", shared.lifecycle());
        registry.bind("localReads", shared.localReads());
        registry.bind("storeMetadata", shared.metadata());
        registry.bind("catchUp", BodyIs.of(QueryResult.CatchUp.class));
        registry.bind("notLocal", BodyIs.of(QueryResult.NotLocal.class));
    }
}
