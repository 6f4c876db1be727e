package io.wordcountiq.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.wordcountiq.model.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** The client of one request, on the event loop that received it; gone once its connection closes or is reset. */
final class VertxCaller implements Caller {

    private final Context context;
    private final Executor loop;
    private final List<Runnable> actions = new ArrayList<>(1);
    private volatile boolean gone;

    VertxCaller(Context context, HttpServerResponse response) {
        this.context = context;
        this.loop = action -> context.runOnContext(v -> action.run());
        response.closeHandler(v -> left());
    }

    private void left() {
        List<Runnable> run;
        synchronized (this) {
            gone = true;
            run = List.copyOf(actions);
            actions.clear();
        }
        run.forEach(Runnable::run);
    }

    @Override
    public Executor loop() {
        return loop;
    }

    @Override
    public void after(long ms, Runnable action) {
        if (Vertx.currentContext() == context) {
            context.owner().setTimer(Math.max(1, ms), id -> action.run());
        } else {
            context.runOnContext(v -> context.owner().setTimer(Math.max(1, ms), id -> action.run()));
        }
    }

    @Override
    public boolean gone() {
        return gone;
    }

    @Override
    public void whenGone(Runnable action) {
        boolean now;
        synchronized (this) {
            now = gone;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }
}
