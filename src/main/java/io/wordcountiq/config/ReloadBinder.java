package io.wordcountiq.config;

import io.wordcountiq.http.ApiServer;
import io.wordcountiq.routes.RoutesDirectoryWatcher;
import io.wordcountiq.settings.Settings;
import io.wordcountiq.threading.RouteThreading;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;

/** Reloading route files that change on disk, when ROUTES_RELOAD_INTERVAL_MS is above zero. */
final class ReloadBinder {

    private ReloadBinder() {
    }

    static void bind(CamelContext context, Settings settings, RouteThreading threading, ApiServer server)
            throws Exception {
        if (settings.routesReloadIntervalMs() <= 0) {
            return;
        }
        RoutesDirectoryWatcher watcher = new RoutesDirectoryWatcher(context, settings.routesDir(),
                settings.routesReloadIntervalMs(), threading, server::swapping);
        context.getRegistry().bind("routesWatcher", watcher);
        context.addStartupListener((ctx, alreadyStarted) -> {
            if (!alreadyStarted) {
                ServiceHelper.startService(watcher);
            }
        });
        context.addService(watcher, true, false);
    }
}
