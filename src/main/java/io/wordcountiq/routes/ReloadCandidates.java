package io.wordcountiq.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;

/** The routes a reload is checked against before it is applied. */
final class ReloadCandidates {

    private ReloadCandidates() {
    }

    /** The routes a file's new version holds: read, not added. */
    static List<RouteDefinition> read(CamelContext context, RoutesLoader loader, Resource resource) throws Exception {
        List<RouteDefinition> routes = new ArrayList<>();
        for (RoutesBuilder builder : loader.findRoutesBuilders(resource)) {
            if (builder instanceof RouteBuilder routeBuilder) {
                routes.addAll(routeBuilder.configureRoutes(context).getRoutes());
            }
        }
        return routes;
    }

    /**
     * Every route the context would run with a file's new version: the running ones, less those the file held and
     * those the new version replaces by id, plus the new version's.
     *
     * @param previous the ids of the routes the file held
     */
    static List<RouteDefinition> merge(Collection<RouteDefinition> running, Set<String> previous,
                                       List<RouteDefinition> fresh) {
        Set<String> replaced = fresh.stream().map(RouteDefinition::getRouteId).collect(Collectors.toSet());
        List<RouteDefinition> routes = new ArrayList<>();
        for (RouteDefinition route : running) {
            if (!previous.contains(route.getRouteId()) && !replaced.contains(route.getRouteId())) {
                routes.add(route);
            }
        }
        routes.addAll(fresh);
        return routes;
    }
}
