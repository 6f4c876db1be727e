package io.wordcountiq.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.health.BuildInfo;
import io.wordcountiq.http.Admission;
import io.wordcountiq.http.ApiServer;
import io.wordcountiq.threading.RouteThreading;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.ModelCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens as the context starts: before any route consumes, a route that would block an event loop stops the
 * start and the HTTP routes on the event loop are decided; once all has started, the API answers and meters bind.
 */
record RoutesStartup(RouteThreading threading, ApiServer server, Admission admission, PeerHealth health,
                     int managementPort, AtomicBoolean metersBound) implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesStartup.class);

    RoutesStartup(RouteThreading threading, ApiServer server, Admission admission, PeerHealth health,
                  int managementPort) {
        this(threading, server, admission, health, managementPort, new AtomicBoolean());
    }

    @Override
    public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
        if (!alreadyStarted) {
            var routes = ((ModelCamelContext) ctx).getRouteDefinitions();
            List<String> blocking = threading.check(routes);
            blocking.forEach(LOG::error);
            if (!blocking.isEmpty()) {
                throw new IllegalStateException(blocking.size() + " route step(s) would block an event loop: "
                        + blocking.get(0));
            }
            threading.decide(routes);
        }
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
        server.routesUp(true);
        MeterRegistry meters = ctx.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters != null && metersBound.compareAndSet(false, true)) {
            admission.bindTo(meters);
            health.bindTo(meters);
            BuildInfo.serve(ctx, managementPort);
        }
    }
}
