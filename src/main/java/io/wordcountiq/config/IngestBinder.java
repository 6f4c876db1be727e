package io.wordcountiq.config;

import io.wordcountiq.ingest.LineWriter;
import io.wordcountiq.ingest.LinesIngest;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.settings.Settings;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;

/** Taking lines in and writing them to the input topic (routes/ingest). */
final class IngestBinder {

    private IngestBinder() {
    }

    static void bind(CamelContext context, SharedBeans shared) throws Exception {
        Registry registry = context.getRegistry();
        Settings settings = shared.settings();
        // Kafka transactions run on a pool of their own.
        ExecutorService pool = BoundedPool.create("ingest", settings.ingestConcurrency(), settings.admitIngest());
        registry.bind("ingestPool", pool);
        ContextEvents.on(context, CamelEvent.CamelContextStoppedEvent.class, pool::shutdownNow);
        registry.bind("lines", new LinesIngest(settings.maxBodyBytes(), settings.maxKeyLength(), shared.replies(),
                shared.tokens(), settings.ingestToken(), settings.mode() == Settings.AppMode.OBSERVER,
                settings.idempotencyRetentionMs()));
        LineWriter lineWriter = new LineWriter(settings, settings.ingestConcurrency(), settings.ingestTimeoutMs());
        registry.bind("lineWriter", lineWriter);
        context.addService(lineWriter, true, true);
        registry.bind("idempotencyKeyed", (Predicate) exchange -> exchange.getProperty(ExchangeProperties.IDEMPOTENCY) != null);
    }
}
