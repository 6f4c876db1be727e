package io.wordcountiq.threading;

import java.util.List;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

import static io.wordcountiq.threading.YamlRoutes.load;
import static org.assertj.core.api.Assertions.assertThat;

/** Which steps a route declared on the event loop may use. */
class EventLoopCheckTest {

    private final EventLoopCheck check = new EventLoopCheck(RouteThreadingTest.BEANS::get);

    /** A route {@code id}, consuming direct:{@code id} and declared on the event loop, with these steps. */
    private static List<RouteDefinition> onTheLoop(String id, String steps) throws Exception {
        return load("- route:\n    id: " + id + "\n    routePolicy: eventLoop\n    from:\n      uri: direct:" + id
                + "\n      steps:\n" + steps.indent(8));
    }

    @Test
    void shouldRefuseABlockingEndpointADelayThatParksAndABlockingBeanOnTheLoop() throws Exception {
        List<String> refused = check.check(onTheLoop("hop", """
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
        assertThat(check.check(onTheLoop("ingest", """
                - bean:
                    ref: lines
                    method: read
                - threads:
                    executorService: ingestPool
                - bean:
                    ref: lineWriter
                    method: write
                """))).isEmpty();
        assertThat(check.check(onTheLoop("ingest", """
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
        List<String> refused = check.check(load("""
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

    @Test
    void shouldAllowPeerCallsLogsAndAsynchronousDelaysOnTheLoop() throws Exception {
        assertThat(check.check(onTheLoop("hop", """
                - to: log:hop
                - delay:
                    constant: 20
                    asyncDelayed: true
                - to: peer:forward
                """))).isEmpty();
    }

    @Test
    void shouldReadTheMethodOfABeanEndpointUri() throws Exception {
        List<String> refused = check.check(onTheLoop("hop", """
                - to: bean:lineWriter?method=write
                """));

        assertThat(refused).singleElement().asString().contains("lineWriter.write blocks");
    }

    @Test
    void shouldLeaveARouteThatDoesNotDeclareTheLoopUnchecked() throws Exception {
        assertThat(check.check(load("""
                - route:
                    id: worker
                    from:
                      uri: direct:worker
                      steps:
                        - to: file:target/out
                """))).isEmpty();
    }
}
