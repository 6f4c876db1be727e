package io.wordcountiq.threading;

import static io.wordcountiq.threading.YamlRoutes.load;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectRoutesTest {

    @Test
    void shouldNameTheRouteADirectUriCallsWithOrWithoutSlashesAndOptions() {
        assertThat(DirectRoutes.name("direct:lookup")).isEqualTo("lookup");
        assertThat(DirectRoutes.name("direct://lookup?timeout=5")).isEqualTo("lookup");
        assertThat(DirectRoutes.name("peer:lookup")).isNull();
    }

    @Test
    void shouldFindRoutesByTheDirectNameTheyConsume() throws Exception {
        var routes = DirectRoutes.byName(load("""
                - route:
                    id: inner
                    from:
                      uri: direct:inner?block=false
                      steps:
                        - to: log:x
                - route:
                    id: http
                    from:
                      uri: platform-http:/x
                      steps:
                        - to: direct:inner
                """));

        assertThat(routes).containsOnlyKeys("inner");
        assertThat(routes.get("inner").getRouteId()).isEqualTo("inner");
    }
}
