package io.wordcountiq.http;

import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ExchangeProperties;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;

/** The {@link Caller} of an exchange: the one the HTTP server set, or, for an exchange no client sent, a detached one. */
public final class Callers {

    /** For exchanges without a client (a timer's, a test's): one thread of its own that only runs timers. */
    private static final class Detached implements Caller {
        private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "detached-timers");
            t.setDaemon(true);
            return t;
        });

        @Override
        public Executor loop() {
            return TIMERS;
        }

        @Override
        public void after(long ms, Runnable action) {
            TIMERS.schedule(action, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean gone() {
            return false;
        }

        @Override
        public void whenGone(Runnable action) {
        }
    }

    static final Caller DETACHED = new Detached();

    private Callers() {
    }

    public static Caller of(Exchange exchange) {
        Caller caller = exchange.getProperty(ExchangeProperties.CALLER, Caller.class);
        return caller != null ? caller : DETACHED;
    }
}
