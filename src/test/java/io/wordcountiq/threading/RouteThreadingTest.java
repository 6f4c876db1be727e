package io.wordcountiq.threading;

import io.wordcountiq.forward.Forwarding;
import io.wordcountiq.http.Admission;
import io.wordcountiq.http.Replies;
import io.wordcountiq.http.StoreRequestReader;
import io.wordcountiq.ingest.LineWriter;
import io.wordcountiq.ingest.LinesIngest;
import io.wordcountiq.lookup.LocalReads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What runs on the event loop is read from the routes, and a route that would block it is refused. */
class RouteThreadingTest {

    private static final Map<String, Class<?>> BEANS = Map.of("requests", StoreRequestReader.class, "admission", Admission.class,
            "localReads", LocalReads.class, "replies", Replies.class, "forwarding", Forwarding.class,
            "lines", LinesIngest.class, "lineWriter", LineWriter.class);

    private final RouteThreading threading = new RouteThreading(BEANS::get);

    @Test
    void shouldAcceptTheShippedRoutesAndRunEveryApiPathOnTheEventLoop() throws Exception {
        List<RouteDefinition> routes = new ArrayList<>();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                routes.addAll(load(Files.readString(file)));
            }
        }
        assertThat(threading.check(routes)).isEmpty();

        threading.decide(routes);
        assertThat(routes.stream().filter(r -> r.getInput().getEndpointUri().startsWith("rest:")))
                .as("every REST operation hands over to a route declared on the event loop")
                .hasSize(8)
                .allSatisfy(r -> assertThat(RouteThreading.entry(r.getInput().getEndpointUri())).isNotNull());
        assertThat(threading.onEventLoop("GET", "/state/keyvalue/{store}/{key}")).isTrue();
        assertThat(threading.onEventLoop("GET", "/state/keyvalues/{store}/range/{from}/{to}")).isTrue();
        assertThat(threading.onEventLoop("GET", "/state/instances")).isTrue();
        assertThat(threading.onEventLoop("POST", "/lines")).isTrue();
        assertThat(threading.onEventLoop("DELETE", "/ui")).as("the page's route takes every method").isTrue();
        assertThat(threading.onEventLoop("GET", "/no/such/path")).isFalse();
    }

    @Test
    void shouldRunARouteThatDoesNotDeclareTheEventLoopOnWorkers() throws Exception {
        threading.decide(load("""
                - rest:
                    path: /custom
                    get:
                      - id: get-custom
                        path: /{x}
                        to: direct:custom
                - route:
                    id: custom
                    from:
                      uri: direct:custom
                      steps:
                        - to: file:target/out
                """));

        assertThat(threading.onEventLoop("GET", "/custom/{x}")).isFalse();
    }

    @Test
    void shouldRefuseABlockingEndpointADelayThatParksAndABlockingBeanOnTheLoop() throws Exception {
        List<String> refused = threading.check(load("""
                - route:
                    id: hop
                    routePolicy: eventLoop
                    from:
                      uri: direct:hop
                      steps:
                        - to: http://elsewhere:8080/x
                        - delay:
                            constant: 20
                        - bean:
                            ref: lineWriter
                            method: write
                        - toD: "direct:${header.x}"
                """));

        assertThat(refused).hasSize(4);
        assertThat(refused.get(0)).contains("route 'hop'", "http:", "would block the event loop");
        assertThat(refused.get(1)).contains("asyncDelayed");
        assertThat(refused.get(2)).contains("lineWriter.write blocks (a Kafka transaction)");
        assertThat(refused.get(3)).contains("dynamic endpoint");
    }

    @Test
    void shouldAllowBlockingWorkAfterAThreadsStepUntilTheNextAsynchronousStep() throws Exception {
        assertThat(threading.check(load("""
                - route:
                    id: ingest
                    routePolicy: eventLoop
                    from:
                      uri: direct:ingest
                      steps:
                        - bean:
                            ref: lines
                            method: read
                        - threads:
                            executorService: ingestPool
                        - bean:
                            ref: lineWriter
                            method: write
                """))).isEmpty();
        assertThat(threading.check(load("""
                - route:
                    id: ingest
                    routePolicy: eventLoop
                    from:
                      uri: direct:ingest
                      steps:
                        - threads:
                            executorService: ingestPool
                        - bean:
                            ref: lines
                            method: read
                        - bean:
                            ref: lineWriter
                            method: write
                """))).as("after an asynchronous bean the route may be back on an event loop").hasSize(1);
    }

    @Test
    void shouldFollowDirectCallsIntoRoutesThatMustDeclareTheEventLoopToo() throws Exception {
        List<String> refused = threading.check(load("""
                - route:
                    id: outer
                    routePolicy: eventLoop
                    from:
                      uri: direct:outer
                      steps:
                        - to: direct:inner
                - route:
                    id: inner
                    from:
                      uri: direct:inner
                      steps:
                        - to: file:target/out
                """));

        assertThat(refused).anySatisfy(line -> assertThat(line).contains("route 'inner' runs on the event loop when called "
                + "from here but does not declare routePolicy: eventLoop"));
        assertThat(refused).anySatisfy(line -> assertThat(line).contains("route 'inner'", "file:"));
    }

    private static List<RouteDefinition> load(String yaml) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Resource resource = ResourceHelper.fromString("routes.camel.yaml", yaml);
        List<RouteDefinition> routes = new ArrayList<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
            RouteBuilder routeBuilder = (RouteBuilder) builder;
            routes.addAll(routeBuilder.configureRoutes(context).getRoutes());
            // REST DSL operations become routes too (the service keeps them apart: inline-routes=false).
            context.getRestConfiguration().setInlineRoutes(false);
            for (var rest : routeBuilder.configureRests(context).getRests()) {
                for (RouteDefinition operation : rest.asRouteDefinition(context)) {
                    if (operation.getRouteId() == null) {
                        operation.setId("rest-" + routes.size());
                    }
                    routes.add(operation);
                }
            }
        }
        return routes;
    }
}
