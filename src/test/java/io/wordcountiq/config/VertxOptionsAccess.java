package io.wordcountiq.config;

import io.vertx.core.VertxOptions;
import io.wordcountiq.settings.Settings;

/** Lets tests in other packages read the API's Vert.x options. */
public final class VertxOptionsAccess {

    private VertxOptionsAccess() {
    }

    public static VertxOptions vertxOptions(Settings settings) {
        return HttpBinder.vertxOptions(settings);
    }
}
