package io.wordcountiq.threading;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** Route definitions read from YAML, as the service would read a route file, without running them. */
final class YamlRoutes {

    private YamlRoutes() {
    }

    static List<RouteDefinition> load(String yaml) throws Exception {
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
