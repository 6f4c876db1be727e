package io.wordcountiq.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies buffered at once, over every upload (UPLOAD_BUFFER_BYTES): a body is read only once its
 * bytes are reserved here, so many clients that each send a large body cannot fill the heap between them.
 */
final class UploadBudget {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    UploadBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Reserves {@code bytes}; false when they do not fit now. */
    boolean reserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
