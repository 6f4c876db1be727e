package io.wordcountiq.config;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.query.Replies;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Requests that match no route (unknown path, wrong method) get the same JSON error body as the routes' own errors,
 * instead of the HTTP server's HTML page. The handler is the router's last route, so routes added by a reload
 * still come before it.
 */
public final class JsonErrorPages {

    private JsonErrorPages() {
    }

    public static void install(CamelContext context, int httpPort, Replies replies) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(httpPort));
        if (router == null) {
            return;
        }
        router.route().last().handler(ctx -> answer(ctx, replies));
    }

    private static void answer(RoutingContext ctx, Replies replies) {
        if (ctx.response().ended()) {
            return;
        }
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        boolean known = path.startsWith("/state/") || path.equals("/lines");
        boolean wrongMethod = known && (path.equals("/lines") ? method != HttpMethod.POST : method != HttpMethod.GET);
        ApiError error = wrongMethod
                ? new ApiError(405, "method " + method.name() + " is not allowed here")
                : ApiError.notFound("no such resource; see /openapi.json");
        ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(Headers.SERVED_BY, replies.self());
        if (wrongMethod) {
            ctx.response().putHeader("Allow", path.equals("/lines") ? "POST" : "GET");
        }
        ctx.response().end(Replies.errorBody(error));
    }
}
