package io.wordcountiq.config;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/** Actions run on the Camel context's events, in the order they were registered. */
final class ContextEvents {

    private ContextEvents() {
    }

    /** Runs {@code action} on every Camel event of this type. */
    static void on(CamelContext context, Class<? extends CamelEvent> type, Runnable action) {
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return type.isInstance(event);
            }

            @Override
            public void notify(CamelEvent event) {
                action.run();
            }
        });
    }
}
