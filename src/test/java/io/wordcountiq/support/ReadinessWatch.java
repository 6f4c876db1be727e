package io.wordcountiq.support;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Samples the readiness of some instances from a thread of its own, about every 100 ms, until stopped. */
public final class ReadinessWatch {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger notReady = new AtomicInteger();
    private final Thread thread;

    private ReadinessWatch(List<InstanceProcess> instances) {
        thread = new Thread(() -> {
            while (running.get()) {
                long next = System.nanoTime() + 100_000_000;
                for (InstanceProcess instance : instances) {
                    samples.incrementAndGet();
                    if (!instance.ready()) {
                        notReady.incrementAndGet();
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }, "readiness-watch");
        thread.setDaemon(true);
    }

    public static ReadinessWatch start(List<InstanceProcess> instances) {
        ReadinessWatch watch = new ReadinessWatch(List.copyOf(instances));
        watch.thread.start();
        return watch;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }

    public int samples() {
        return samples.get();
    }

    public int notReady() {
        return notReady.get();
    }
}
