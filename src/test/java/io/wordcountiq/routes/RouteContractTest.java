package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.forward.ForwardWalk;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.support.FreshFolder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The YAML routes and the Java beans meet through names that cannot drift: every bean and method, every registry
 * entry and every exchange property that a file of routes/ names exists in the running application, under the name
 * the Java side declares.
 */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/route-contract-test-data", "http.port=18520", "management.port=18521",
        "routes.reload.interval.ms=0", "topic.partitions=2"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteContractTest {

    static {
        FreshFolder.of("target/route-contract-test-data");
    }

    /** The type each exchange property holds, for the properties a route reads into. */
    private static final Map<String, Class<?>> PROPERTY_TYPES = Map.of(ExchangeProperties.WALK, ForwardWalk.class);

    @BeanInject
    CamelContext camel;

    @Test
    void shouldFindEveryBeanMethodRegistryEntryAndPropertyTheShippedRoutesName() throws Exception {
        RouteNames names = shipped();

        assertThat(names.beanCalls).as("the routes call beans").hasSizeGreaterThan(40);
        assertThat(names.registryNames).as("the routes name predicates and policies").hasSizeGreaterThan(20);
        assertThat(names.propertyReads).as("a route reads the walk's pause").isNotEmpty();
        assertThat(names.problems(this::lookup, propertyNames(), PROPERTY_TYPES)).isEmpty();
    }

    @Test
    void shouldNameEveryMismatchOfARoute() throws Exception {
        RouteNames drifted = RouteNames.of("drifted.camel.yaml", """
                - route:
                    id: drifted
                    routePolicy: eventLoop,noSuchPolicy
                    from:
                      uri: direct:drifted
                      steps:
                        - bean:
                            ref: forwarding
                            method: noSuchStep
                        - bean:
                            ref: noSuchBean
                            method: start
                        - filter:
                            expression:
                              ref: noSuchPredicate
                            steps:
                              - delay:
                                  expression:
                                    simple: "${exchangeProperty.iqWlak.pauseMs} ${exchangeProperty.iqWalk.pause}"
                """);

        assertThat(drifted.problems(this::lookup, propertyNames(), PROPERTY_TYPES)).containsExactlyInAnyOrder(
                "drifted.camel.yaml: Forwarding has no public method 'noSuchStep' (bean 'forwarding')",
                "drifted.camel.yaml: bean 'noSuchBean' is not in the registry",
                "drifted.camel.yaml: routePolicy 'noSuchPolicy' is not in the registry",
                "drifted.camel.yaml: ref 'noSuchPredicate' is not in the registry",
                "drifted.camel.yaml: exchange property 'iqWlak' is no Java constant",
                "drifted.camel.yaml: ForwardWalk has no getter 'pause' (exchange property 'iqWalk')");
    }

    private Object lookup(String name) {
        return camel.getRegistry().lookupByName(name);
    }

    private static RouteNames shipped() throws Exception {
        RouteNames all = new RouteNames();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                all.add(RouteNames.of(file.getFileName().toString(), Files.readString(file)));
            }
        }
        return all;
    }

    /** The values of ExchangeProperties' constants: the one list of names a route may read. */
    private static Set<String> propertyNames() {
        return Arrays.stream(ExchangeProperties.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(RouteContractTest::value).collect(Collectors.toSet());
    }

    private static String value(Field f) {
        try {
            return (String) f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
