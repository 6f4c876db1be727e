package io.wordcountiq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BoundedPoolTest {

    @Test
    void shouldRefuseWorkBeyondItsThreadsAndQueueInsteadOfQueueingIt() throws Exception {
        ExecutorService pool = BoundedPool.create("test", 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                running.countDown();
                await(release);
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            pool.execute(() -> { });

            assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNameItsDaemonThreads() throws Exception {
        ExecutorService pool = BoundedPool.create("ingest", 1, 1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        try {
            pool.submit(() -> thread.set(Thread.currentThread())).get(5, TimeUnit.SECONDS);

            assertThat(thread.get().getName()).isEqualTo("ingest-1");
            assertThat(thread.get().isDaemon()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
