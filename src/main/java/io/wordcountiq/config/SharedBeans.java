package io.wordcountiq.config;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.http.Replies;
import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.util.List;
import org.apache.camel.CamelContext;

/** The beans several capabilities share: built once, handed to each capability's binder. */
record SharedBeans(Settings settings, StreamsLifecycle lifecycle, RequestValidator validator, ForwardMarker marker,
                   Tokens tokens, StoreMetadata metadata, Consistency consistency, LocalReads localReads,
                   Replies replies) {

    static SharedBeans create(CamelContext context, Settings settings) throws Exception {
        StreamsLifecycle lifecycle = new StreamsLifecycle(settings);
        List<String> secrets = List.of(settings.forwardSecret(), settings.forwardSecretPrevious());
        Tokens tokens = new Tokens(secrets);
        StoreMetadata metadata = new StoreMetadata(lifecycle);
        Consistency consistency = new Consistency(lifecycle);
        context.addService(consistency, true, false);
        return new SharedBeans(settings, lifecycle, new RequestValidator(settings.maxKeyLength()),
                new ForwardMarker(secrets, settings.applicationServer()), tokens, metadata, consistency,
                new LocalReads(metadata, lifecycle, consistency),
                new Replies(settings.applicationServer(), settings.clusterName(), tokens));
    }
}
