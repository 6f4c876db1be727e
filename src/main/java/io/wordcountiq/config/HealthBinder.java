package io.wordcountiq.config;

import io.wordcountiq.health.RequestMetrics;
import io.wordcountiq.health.RequestTracing;
import io.wordcountiq.health.StreamsHealthCheck;
import io.wordcountiq.health.StreamsMetrics;
import io.wordcountiq.http.ApiServer;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.StreamsLifecycle;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;

/** Health checks, request metrics and tracing, Kafka Streams metrics, and readiness through a graceful stop. */
final class HealthBinder {

    private HealthBinder() {
    }

    static void bind(CamelContext context, Settings settings, StreamsLifecycle lifecycle, ApiServer server)
            throws Exception {
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        checks.register(new StreamsHealthCheck(lifecycle, false));
        checks.register(new StreamsHealthCheck(lifecycle, true));
        context.getManagementStrategy().addEventNotifier(new RequestMetrics());
        context.addRoutePolicyFactory(new RequestTracing(settings.accessLog()));
        StreamsMetrics streamsMetrics = new StreamsMetrics(context, settings.applicationId());
        context.getRegistry().bind("streamsMetrics", streamsMetrics);
        lifecycle.whenFirstRunning(streamsMetrics::bind);
        context.addService(streamsMetrics, true, false);
        // A graceful stop turns readiness false before routes drain and Streams leaves the group.
        ContextEvents.on(context, CamelEvent.CamelContextStoppingEvent.class, () -> {
            lifecycle.markStopping();
            server.routesUp(false);
        });
    }
}
