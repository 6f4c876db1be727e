package io.wordcountiq.config;

import io.wordcountiq.http.Admission;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.EmbeddedKafka;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;

/**
 * All bean wiring: the top floor. The YAML routes in routes/ refer to the beans by the names bound here, one binder
 * for each capability; nothing below this package imports it. The order of the steps is the order services start
 * and stop in.
 */
public class WordcountConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<String, Optional<String>> lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        EmbeddedKafka broker = EmbeddedBroker.startIfWanted(context, lookup);
        Settings settings = Settings.from(lookup, System.getenv(), broker == null ? null : broker.bootstrapServers());
        if (broker != null && broker.fresh()) {
            // State kept from an earlier broker does not belong to this one: it would give wrong counts.
            StreamsLifecycle.deleteLocalState(settings);
        }
        Registry registry = context.getRegistry();

        HttpBinder.Http http = HttpBinder.start(context, settings);
        SharedBeans shared = SharedBeans.create(context, settings);
        Admission admission = HttpBinder.bindRequests(registry, shared);
        LookupBinder.bind(registry, shared);
        ClusterBinder.Cluster cluster = ClusterBinder.bind(registry, shared, http.peers());
        ForwardBinder.bind(registry, shared, cluster.health());
        WholeStoreBinder.bind(context, shared, cluster.health());
        IngestBinder.bind(context, shared);
        ContextEvents.on(context, CamelEvent.CamelContextStoppedEvent.class, http.peers()::close);
        UiBinder.bind(registry, shared, cluster);

        // Streams starts with the context; its close waits for the HTTP routes to drain first.
        context.addService(shared.lifecycle(), true, true);
        HealthBinder.bind(context, settings, shared.lifecycle(), http.server());
        context.addStartupListener(new RoutesStartup(http.threading(), http.server(), admission, cluster.health(),
                settings.managementPort()));
        ReloadBinder.bind(context, settings, http.threading(), http.server());
    }
}
