package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/** The routes a reload is checked against: what would run after it. */
class ReloadCandidatesTest {

    private static RouteDefinition route(String id) {
        return new RouteDefinition().routeId(id);
    }

    private static List<String> ids(List<RouteDefinition> routes) {
        return routes.stream().map(RouteDefinition::getRouteId).toList();
    }

    @Test
    void shouldDropTheRoutesTheFileHeldAndAddItsNewOnes() {
        List<RouteDefinition> running = List.of(route("lookup"), route("old-forward"), route("ui"));

        assertThat(ids(ReloadCandidates.merge(running, Set.of("old-forward"), List.of(route("forward")))))
                .containsExactly("lookup", "ui", "forward");
    }

    @Test
    void shouldReplaceARunningRouteOfTheSameIdFromAnotherFile() {
        RouteDefinition fresh = route("ui");

        List<RouteDefinition> merged = ReloadCandidates.merge(List.of(route("lookup"), route("ui")), Set.of(),
                List.of(fresh));

        assertThat(ids(merged)).containsExactly("lookup", "ui");
        assertThat(merged.get(1)).isSameAs(fresh);
    }
}
