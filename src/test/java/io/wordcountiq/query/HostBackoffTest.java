package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class HostBackoffTest {

    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 1);
    private static final HostInfo C = new HostInfo("c", 1);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HostBackoff backoff = new HostBackoff(now::get);

    @Test
    void shouldAskAHostThatJustFailedLastUntilItsBackoffEnds() {
        backoff.unreachable(A);

        assertThat(backoff.order(List.of(A, B, C))).containsExactly(B, C, A);
        now.addAndGet(HostBackoff.FIRST_BACKOFF_MS + 1);
        assertThat(backoff.order(List.of(A, B, C))).as("probed again after the backoff").containsExactly(A, B, C);
    }

    @Test
    void shouldDoubleTheBackoffWhileAHostKeepsFailingAndForgetItOnceItAnswers() {
        backoff.unreachable(A);
        now.addAndGet(HostBackoff.FIRST_BACKOFF_MS + 1);
        backoff.unreachable(A);
        now.addAndGet(HostBackoff.FIRST_BACKOFF_MS + 1);
        assertThat(backoff.inBackoff(A)).as("the second backoff is twice as long").isTrue();

        backoff.answered(A);
        assertThat(backoff.inBackoff(A)).isFalse();
    }

    @Test
    void shouldCapTheBackoff() {
        for (int i = 0; i < 20; i++) {
            backoff.unreachable(A);
            now.addAndGet(1);
        }
        now.addAndGet(HostBackoff.MAX_BACKOFF_MS + 1);
        assertThat(backoff.inBackoff(A)).isFalse();
    }
}
