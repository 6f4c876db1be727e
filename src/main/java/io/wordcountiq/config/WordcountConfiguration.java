package io.wordcountiq.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.wordcountiq.cluster.Instances;
import io.wordcountiq.cluster.PeerHealth;
import io.wordcountiq.cluster.PeerLags;
import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.forward.Forwarding;
import io.wordcountiq.health.BuildInfo;
import io.wordcountiq.health.RequestMetrics;
import io.wordcountiq.health.RequestTracing;
import io.wordcountiq.health.StreamsHealthCheck;
import io.wordcountiq.health.StreamsMetrics;
import io.wordcountiq.http.Admission;
import io.wordcountiq.http.ApiDocument;
import io.wordcountiq.http.ApiEngine;
import io.wordcountiq.http.ApiServer;
import io.wordcountiq.http.Replies;
import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.http.ResponseHeaderFilter;
import io.wordcountiq.http.StoreRequestReader;
import io.wordcountiq.ingest.LineWriter;
import io.wordcountiq.ingest.LinesIngest;
import io.wordcountiq.lookup.LocalReads;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.UiRequest;
import io.wordcountiq.peer.PeerClient;
import io.wordcountiq.peer.PeerComponent;
import io.wordcountiq.routes.RoutesDirectoryWatcher;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.streams.EmbeddedKafka;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.threading.EventLoopPolicy;
import io.wordcountiq.threading.RouteThreading;
import io.wordcountiq.ui.ClusterSteps;
import io.wordcountiq.ui.LookupTrace;
import io.wordcountiq.ui.UiFiles;
import io.wordcountiq.ui.UiRequestReader;
import io.wordcountiq.wholestore.LocalParts;
import io.wordcountiq.wholestore.ScatterGather;
import io.wordcountiq.wire.ForwardMarker;
import io.wordcountiq.wire.Tokens;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.builder.ExpressionBuilder;
import org.apache.camel.support.builder.PredicateBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All bean wiring: the top floor. The YAML routes in routes/ refer to the beans by the names bound here; nothing
 * below this package imports it.
 */
public class WordcountConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WordcountConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<String, Optional<String>> lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        EmbeddedKafka broker = null;
        if (Settings.wantsEmbeddedKafka(lookup)) {
            Path kafkaDir = Settings.dataDir(lookup).resolve("kafka");
            broker = EmbeddedKafka.start(kafkaDir);
            LOG.info("KAFKA_BOOTSTRAP_SERVERS is not set: started an embedded Kafka broker at {}, {} log in {} "
                            + "(stop, delete DATA_DIR, and start again to begin afresh)", broker.bootstrapServers(),
                    broker.fresh() ? "a new" : "its", kafkaDir.toAbsolutePath());
            context.addService(new EmbeddedKafkaService(broker), true, true);
        }
        Settings settings = Settings.from(lookup, System.getenv(), broker == null ? null : broker.bootstrapServers());
        if (broker != null && broker.fresh()) {
            // State kept from an earlier broker does not belong to this one: it would give wrong counts.
            StreamsLifecycle.deleteLocalState(settings);
        }
        Registry registry = context.getRegistry();

        // The API's own Vert.x (not in the registry: the management server makes one of its own, so health and
        // metrics never share a thread with the API), its server, and the one client for calls to peers.
        Vertx vertx = Vertx.vertx(vertxOptions(settings));
        on(context, CamelEvent.CamelContextStoppedEvent.class, vertx::close);
        ApiServer server = new ApiServer(context, vertx, settings);
        context.addService(server, true, true);
        PeerClient peers = PeerClient.create(vertx, settings);
        context.addComponent("peer", new PeerComponent(peers));
        RouteThreading threading = new RouteThreading(name -> {
            Object bean = registry.lookupByName(name);
            return bean == null ? null : bean.getClass();
        });
        registry.bind(EventLoopPolicy.NAME, new EventLoopPolicy());
        PlatformHttpComponent platformHttp = context.getComponent("platform-http", PlatformHttpComponent.class);
        platformHttp.setHeaderFilterStrategy(new ResponseHeaderFilter());
        platformHttp.setEngine(new ApiEngine(server, threading, settings));

        StreamsLifecycle lifecycle = new StreamsLifecycle(settings);
        RequestValidator validator = new RequestValidator(settings.maxKeyLength());
        List<String> secrets = List.of(settings.forwardSecret(), settings.forwardSecretPrevious());
        ForwardMarker marker = new ForwardMarker(secrets, settings.applicationServer());
        Tokens tokens = new Tokens(secrets);
        StoreMetadata metadata = new StoreMetadata(lifecycle);
        Consistency consistency = new Consistency(lifecycle);
        context.addService(consistency, true, false);
        LocalReads localReads = new LocalReads(metadata, lifecycle, consistency);
        Replies replies = new Replies(settings.applicationServer(), settings.clusterName(), tokens);
        boolean observer = settings.mode() == Settings.AppMode.OBSERVER;

        registry.bind("settings", settings);
        registry.bind("streamsLifecycle", lifecycle);
        Admission admission = new Admission(admissionBounds(settings));
        registry.bind("admission", admission);
        registry.bind("requests", new StoreRequestReader(validator, marker, tokens, settings.pageMaxLimit(),
                settings.defaultMaxLag()));
        PeerHealth health = new PeerHealth(metadata::clusterOf, System::currentTimeMillis);
        peers.observe(health::observe);
        registry.bind("peerHealth", health);
        registry.bind("localReads", localReads);
        registry.bind("storeMetadata", metadata);
        registry.bind("replies", replies);
        Forwarding forwarding = new Forwarding(metadata, localReads, marker, health, tokens,
                settings.requestTimeoutMs());
        registry.bind("forwarding", forwarding);
        // The forward route's loop and filter conditions (ref: in routes/forward.camel.yaml). As predicates Camel
        // evaluates them on the exchange itself; as bean method expressions, on a copy of it at every evaluation.
        registry.bind("walkAnotherRound", (Predicate) forwarding::anotherRound);
        registry.bind("walkHasNext", (Predicate) forwarding::hasNext);
        registry.bind("walkUnsettled", (Predicate) forwarding::unsettled);
        // Whole stores are read from RocksDB on a pool of their own (a batch at a time); so are Kafka transactions.
        ExecutorService wholeStorePool = pool("whole-store", settings.wholeStoreThreads(), 4096);
        ExecutorService ingestPool = pool("ingest", settings.ingestConcurrency(), settings.admitIngest());
        registry.bind("ingestPool", ingestPool);
        on(context, CamelEvent.CamelContextStoppedEvent.class, () -> {
            wholeStorePool.shutdownNow();
            ingestPool.shutdownNow();
            peers.close();
        });
        LocalParts localParts = new LocalParts(metadata, lifecycle, consistency, localReads, wholeStorePool);
        registry.bind("scatterGather", new ScatterGather(metadata, localParts, marker, tokens, health));
        registry.bind("peerLags", new PeerLags(metadata));
        Instances instances = new Instances(metadata, validator, replies, health);
        registry.bind("instances", instances);
        registry.bind("lines", new LinesIngest(settings.maxBodyBytes(), settings.maxKeyLength(), replies, tokens,
                settings.ingestToken(), observer, settings.idempotencyRetentionMs()));
        LineWriter lineWriter = new LineWriter(settings, settings.ingestConcurrency(), settings.ingestTimeoutMs());
        registry.bind("lineWriter", lineWriter);
        context.addService(lineWriter, true, true);
        // The page at /ui/ (routes/ui.camel.yaml).
        registry.bind("apiDocument", new ApiDocument());
        UiFiles uiFiles = new UiFiles();
        registry.bind("uiFiles", uiFiles);
        registry.bind("uiRequests", new UiRequestReader(validator, uiFiles));
        registry.bind("clusterSteps", new ClusterSteps(metadata, replies, settings.uiObservers(), health));
        registry.bind("lookupTrace", new LookupTrace(metadata, instances));
        // Typed predicates the routes branch on.
        registry.bind("catchUp", isBody(QueryResult.CatchUp.class));
        registry.bind("notLocal", isBody(QueryResult.NotLocal.class));
        registry.bind("idempotencyKeyed", (Predicate) exchange -> exchange.getProperty(ExchangeProperties.IDEMPOTENCY) != null);
        registry.bind("gatherPeers", (Predicate) exchange -> exchange.getMessage().getBody() instanceof QueryResult.Gather
                gather && !gather.peers().isEmpty());
        registry.bind("peerCallsPlanned", (Predicate) exchange -> exchange.getProperty(ExchangeProperties.PEER_CALL) instanceof List<?>
                calls && !calls.isEmpty());
        registry.bind("uiClusterView", isBody(UiRequest.ClusterView.class));
        registry.bind("uiLookup", isBody(UiRequest.Lookup.class));

        // Streams starts with the context; its close waits for the HTTP routes to drain first.
        context.addService(lifecycle, true, true);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        checks.register(new StreamsHealthCheck(lifecycle, false));
        checks.register(new StreamsHealthCheck(lifecycle, true));
        context.getManagementStrategy().addEventNotifier(new RequestMetrics());
        context.addRoutePolicyFactory(new RequestTracing(settings.accessLog()));
        StreamsMetrics streamsMetrics = new StreamsMetrics(context, settings.applicationId());
        registry.bind("streamsMetrics", streamsMetrics);
        lifecycle.whenFirstRunning(streamsMetrics::bind);
        context.addService(streamsMetrics, true, false);
        // A graceful stop turns readiness false before routes drain and Streams leaves the group.
        on(context, CamelEvent.CamelContextStoppingEvent.class, () -> {
            lifecycle.markStopping();
            server.routesUp(false);
        });

        AtomicBoolean metersBound = new AtomicBoolean();
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                if (!alreadyStarted) {
                    // Before any route consumes: a route that would block an event loop stops the start.
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
                    BuildInfo.serve(ctx, settings.managementPort());
                }
            }
        });

        if (settings.routesReloadIntervalMs() > 0) {
            RoutesDirectoryWatcher watcher = new RoutesDirectoryWatcher(context, settings.routesDir(),
                    settings.routesReloadIntervalMs(), threading, server::swapping);
            registry.bind("routesWatcher", watcher);
            context.addStartupListener((ctx, alreadyStarted) -> {
                if (!alreadyStarted) {
                    ServiceHelper.startService(watcher);
                }
            });
            context.addService(watcher, true, false);
        }
    }

    private static Predicate isBody(Class<?> type) {
        return PredicateBuilder.isInstanceOf(ExpressionBuilder.bodyExpression(), type);
    }

    private static Map<Admission.Kind, Integer> admissionBounds(Settings settings) {
        Map<Admission.Kind, Integer> bounds = new EnumMap<>(Admission.Kind.class);
        bounds.put(Admission.Kind.KEY_LOOKUPS, settings.admitKeyLookups());
        bounds.put(Admission.Kind.TOKEN_WAITS, settings.admitTokenWaits());
        bounds.put(Admission.Kind.PAGES, settings.admitPages());
        bounds.put(Admission.Kind.WHOLE_STORE, settings.wholeStoreConcurrency());
        bounds.put(Admission.Kind.PARTS, settings.wholeStoreConcurrency());
        bounds.put(Admission.Kind.UI, settings.admitUi());
        bounds.put(Admission.Kind.INGEST, settings.admitIngest());
        return bounds;
    }

    /** A pool of {@code threads} daemon threads with a bounded queue: beyond it, work is refused (503), never queued. */
    private static ExecutorService pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code action} on every Camel event of this type. */
    private static void on(CamelContext context, Class<? extends CamelEvent> type, Runnable action) {
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return type.isInstance(event);
            }

            @Override
            public void notify(CamelEvent event) {
                action.run();
            }
        });
    }

    /**
     * The API's event loops (one per core) and worker threads (for routes not declared to run on the event loop),
     * and name resolution for calls to peers. Vert.x resolves names itself (DNS and /etc/hosts, as the JDK does); a
     * JVM started with -Djdk.net.hosts.file (the demo's host names) resolves with that file first, as the JDK would.
     */
    static VertxOptions vertxOptions(Settings settings) {
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(settings.httpWorkerThreads());
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        if (hostsFile != null && !hostsFile.isBlank()) {
            options.setAddressResolverOptions(new AddressResolverOptions().setHostsPath(hostsFile));
        }
        return options;
    }

    /** Closes the embedded broker after everything else has stopped. */
    private record EmbeddedKafkaService(EmbeddedKafka broker) implements org.apache.camel.Service {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
            try {
                broker.close();
            } catch (Exception e) {
                LOG.warn("Embedded broker did not close cleanly: {}", e.toString());
            }
        }
    }
}
