package io.wordcountiq.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A token read looks again after a pause until its deadline or until its client has gone. */
class TokenWaitTest {

    /** Runs nothing by itself: records what was asked to run later. */
    private static final class FakeCaller implements Caller {
        final List<Long> pauses = new ArrayList<>();
        final List<Runnable> later = new ArrayList<>();
        boolean gone;

        @Override
        public Executor loop() {
            return Runnable::run;
        }

        @Override
        public void after(long ms, Runnable action) {
            pauses.add(ms);
            later.add(action);
        }

        @Override
        public boolean gone() {
            return gone;
        }

        @Override
        public void whenGone(Runnable action) {
        }
    }

    /** Behind at every attempt. */
    private static final class AlwaysBehind extends TokenWait<String> {
        int attempts;

        AlwaysBehind(long deadlineNanos, Caller caller) {
            super(deadlineNanos, caller);
        }

        @Override
        protected void attempt() {
            attempts++;
            again("still behind");
        }

        @Override
        protected void giveUp(String behind) {
            out.complete("gave up: " + behind);
        }
    }

    @Test
    void shouldLookAgainAfterThePollIntervalWhileTheDeadlineIsAhead() {
        FakeCaller caller = new FakeCaller();
        AlwaysBehind wait = new AlwaysBehind(System.nanoTime() + TimeUnit.SECONDS.toNanos(60), caller);

        var out = wait.start();
        caller.later.remove(0).run();

        assertThat(wait.attempts).isEqualTo(2);
        assertThat(caller.pauses).containsExactly(TokenPoll.INTERVAL_MS, TokenPoll.INTERVAL_MS);
        assertThat(out.toCompletableFuture()).isNotDone();
    }

    @Test
    void shouldGiveUpWithWhyAtTheDeadline() {
        FakeCaller caller = new FakeCaller();

        var out = new AlwaysBehind(System.nanoTime(), caller).start();

        assertThat(out.toCompletableFuture()).isCompletedWithValue("gave up: still behind");
        assertThat(caller.later).isEmpty();
    }

    @Test
    void shouldStopWaitingOnceTheClientHasGone() {
        FakeCaller caller = new FakeCaller();
        caller.gone = true;

        var out = new AlwaysBehind(System.nanoTime() + TimeUnit.SECONDS.toNanos(60), caller).start();

        assertThat(out.toCompletableFuture()).isCompletedWithValue("gave up: still behind");
    }
}
