package io.wordcountiq.threading;

import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;

/**
 * The route policy {@code eventLoop}: a route that names it ({@code routePolicy: eventLoop}) declares that it runs
 * on the HTTP event loop and never blocks it. {@link EventLoopCheck} holds every such route to that, at start and at
 * every reload; the policy itself does nothing at run time.
 */
public final class EventLoopPolicy implements RoutePolicy {

    /** The name routes give in {@code routePolicy:}. */
    public static final String NAME = "eventLoop";

    /** Whether the route names this policy among its {@code routePolicy:} references. */
    static boolean declaredBy(RouteDefinition route) {
        String policies = route.getRoutePolicyRef();
        return policies != null && Arrays.stream(policies.split(",")).map(String::trim).anyMatch(NAME::equals);
    }

    @Override
    public void onInit(Route route) {
    }

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
    }
}
