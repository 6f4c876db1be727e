package io.wordcountiq.threading;

import io.wordcountiq.model.Blocking;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.DelayDefinition;
import org.apache.camel.model.DynamicRouterDefinition;
import org.apache.camel.model.EnrichDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.PollEnrichDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RecipientListDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutingSlipDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ThreadsDefinition;
import org.apache.camel.model.ThrottleDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;

/**
 * The check, at start and before every reload, that no route declared {@code routePolicy: eventLoop} would block the
 * event loop. It walks every step such a route can reach (into the {@code direct:} routes it calls, which must declare
 * it too) and refuses: an endpoint other than {@code direct:}, {@code peer:} (asynchronous, completes on the event
 * loop) and {@code log:}; a dynamic endpoint (toD, enrich, recipientList: what it reaches cannot be known); a
 * {@code delay} or {@code throttle} without {@code asyncDelayed: true}; a bean method marked {@link Blocking}. After a
 * {@code threads:} step the route runs on that step's pool, where blocking is allowed, until its next asynchronous
 * step (a peer call, a bean that answers with a CompletionStage, an asynchronous delay), after which it may be back
 * on an event loop.
 */
final class EventLoopCheck {

    private static final Set<String> ASYNC_ENDPOINTS = Set.of("peer");
    private static final Set<String> HARMLESS_ENDPOINTS = Set.of("log");

    private final Function<String, Class<?>> beans;

    /** @param beans the class of the bean a route names in {@code ref:} (null for none) */
    EventLoopCheck(Function<String, Class<?>> beans) {
        this.beans = beans;
    }

    /**
     * Every way these routes (every route the context would run) could block an event loop, one line each naming the
     * route and the step; empty when there is none.
     */
    List<String> check(Collection<RouteDefinition> routes) {
        Walk walk = new Walk(DirectRoutes.byName(routes));
        for (RouteDefinition route : routes) {
            if (EventLoopPolicy.declaredBy(route)) {
                walk.route(route, false, new HashSet<>());
            }
        }
        return List.copyOf(new LinkedHashSet<>(walk.violations));
    }

    /** One walk over the routes; {@code pool} is true while the route runs on a threads: step's pool. */
    private final class Walk {
        private final Map<String, RouteDefinition> byDirect;
        private final List<String> violations = new ArrayList<>();

        Walk(Map<String, RouteDefinition> byDirect) {
            this.byDirect = byDirect;
        }

        boolean route(RouteDefinition route, boolean pool, Set<String> visiting) {
            if (!visiting.add(route.getRouteId())) {
                return pool;
            }
            boolean end = steps(route, route.getOutputs(), pool, visiting);
            visiting.remove(route.getRouteId());
            return end;
        }

        boolean steps(RouteDefinition route, List<ProcessorDefinition<?>> outputs, boolean pool, Set<String> visiting) {
            for (ProcessorDefinition<?> step : outputs) {
                pool = step(route, step, pool, visiting);
            }
            return pool;
        }

        private boolean step(RouteDefinition route, ProcessorDefinition<?> step, boolean pool, Set<String> visiting) {
            if (step instanceof ThreadsDefinition) {
                return true;
            }
            if (step instanceof DelayDefinition delay) {
                if (!"true".equalsIgnoreCase(delay.getAsyncDelayed())) {
                    refuse(route, step, "a delay without asyncDelayed: true parks its thread");
                }
                return false;
            }
            if (step instanceof ThrottleDefinition throttle) {
                if (!"true".equalsIgnoreCase(throttle.getAsyncDelayed())) {
                    refuse(route, step, "a throttle without asyncDelayed: true parks its thread");
                }
                return false;
            }
            if (step instanceof ToDynamicDefinition || step instanceof EnrichDefinition || step instanceof PollEnrichDefinition
                    || step instanceof RecipientListDefinition || step instanceof RoutingSlipDefinition
                    || step instanceof DynamicRouterDefinition) {
                if (!pool) {
                    refuse(route, step, "what a dynamic endpoint reaches cannot be checked; name a direct: or peer: endpoint");
                }
                return pool;
            }
            if (step instanceof SendDefinition<?> send) {
                return send(route, step, send.getEndpointUri(), pool, visiting);
            }
            if (step instanceof BeanDefinition bean) {
                return bean(route, step, bean.getRef(), bean.getMethod(), pool);
            }
            if (step instanceof ChoiceDefinition choice) {
                boolean end = pool;
                for (WhenDefinition when : choice.getWhenClauses()) {
                    expression(route, step, when.getExpression(), pool);
                    end &= steps(route, when.getOutputs(), pool, visiting);
                }
                if (choice.getOtherwise() != null) {
                    end &= steps(route, choice.getOtherwise().getOutputs(), pool, visiting);
                }
                return end;
            }
            if (step instanceof ExpressionNode node) {
                expression(route, step, node.getExpression(), pool);
            }
            List<ProcessorDefinition<?>> children = step.getOutputs();
            if (children == null || children.isEmpty()) {
                return pool;
            }
            // A block (a loop, a filter, a try) may run again or not at all: what holds after it holds on every path.
            boolean end = steps(route, children, pool, visiting);
            return pool && steps(route, children, end, visiting);
        }

        private boolean send(RouteDefinition route, ProcessorDefinition<?> step, String uri, boolean pool,
                             Set<String> visiting) {
            String scheme = EndpointUri.of(uri).scheme();
            if (scheme.equals("direct")) {
                RouteDefinition target = byDirect.get(DirectRoutes.name(uri));
                if (target == null) {
                    refuse(route, step, "no route consumes " + uri);
                    return pool;
                }
                if (!pool && !EventLoopPolicy.declaredBy(target)) {
                    refuse(route, step, "route '" + target.getRouteId() + "' runs on the event loop when called from here "
                            + "but does not declare routePolicy: " + EventLoopPolicy.NAME);
                }
                return route(target, pool, visiting);
            }
            if (ASYNC_ENDPOINTS.contains(scheme)) {
                return false;
            }
            if (HARMLESS_ENDPOINTS.contains(scheme)) {
                return pool;
            }
            if (scheme.equals("bean")) {
                EndpointUri bean = EndpointUri.of(uri);
                return bean(route, step, bean.path(), bean.parameter("method"), pool);
            }
            if (!pool) {
                refuse(route, step, "endpoint '" + scheme + ":' may block its thread; only direct:, peer: and log: run on "
                        + "the event loop (move blocking work after a threads: step)");
            }
            return pool;
        }

        private boolean bean(RouteDefinition route, ProcessorDefinition<?> step, String ref, String method, boolean pool) {
            Class<?> bean = ref == null ? null : beans.apply(ref);
            if (bean == null || method == null) {
                return pool;
            }
            String name = method.contains("(") ? method.substring(0, method.indexOf('(')).trim() : method.trim();
            boolean async = false;
            for (Method m : bean.getMethods()) {
                if (!m.getName().equals(name)) {
                    continue;
                }
                Blocking blocking = m.getAnnotation(Blocking.class);
                if (blocking != null && !pool) {
                    refuse(route, step, ref + "." + name + " blocks (" + blocking.value() + "): call it after a threads: step");
                }
                async |= CompletionStage.class.isAssignableFrom(m.getReturnType());
            }
            return pool && !async;
        }

        private void expression(RouteDefinition route, ProcessorDefinition<?> step, ExpressionDefinition expression,
                                boolean pool) {
            if (expression instanceof MethodCallExpression call) {
                bean(route, step, call.getRef(), call.getMethod(), pool);
            }
        }

        private void refuse(RouteDefinition route, ProcessorDefinition<?> step, String why) {
            String source = route.getResource() == null ? "" : " (" + route.getResource().getLocation() + ")";
            String shown = step.toString();
            violations.add("route '" + route.getRouteId() + "'" + source + " declares routePolicy: " + EventLoopPolicy.NAME
                    + ", but its step " + (shown.length() > 120 ? shown.substring(0, 120) + "…" : shown)
                    + " would block the event loop: " + why);
        }
    }
}
