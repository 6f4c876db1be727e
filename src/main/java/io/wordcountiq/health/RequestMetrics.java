package io.wordcountiq.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Records every HTTP request as wordcount_iq_requests_seconds{operation,status,outcome} for /observe/metrics. */
public class RequestMetrics extends EventNotifierSupport {

    private volatile MeterRegistry registry;

    public RequestMetrics() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (!(exchange.getFromEndpoint() instanceof PlatformHttpEndpoint)) {
            return;
        }
        MeterRegistry meters = registry();
        if (meters == null) {
            return;
        }
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, exchange.isFailed() ? 500 : 200, Integer.class);
        String operation = String.valueOf(exchange.getFromRouteId());
        // One Timer per operation and status, looked up once: not a builder and a registry lookup per request.
        timers.computeIfAbsent(operation + ' ' + status, k -> timer(meters, operation, status))
                .record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
    }

    private static Timer timer(MeterRegistry meters, String operation, int status) {
        return Timer.builder("wordcount.iq.requests")
                .description("HTTP requests by operation and outcome")
                .tag("operation", operation)
                .tag("status", Integer.toString(status))
                .tag("outcome", status / 100 + "xx")
                .publishPercentileHistogram()
                .register(meters);
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            registry = r;
        }
        return r;
    }
}
