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
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

import static io.wordcountiq.threading.YamlRoutes.load;
import static org.assertj.core.api.Assertions.assertThat;

/** What runs on the event loop is read from the routes. */
class RouteThreadingTest {

    static final Map<String, Class<?>> BEANS = Map.of("requests", StoreRequestReader.class, "admission", Admission.class,
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

}
