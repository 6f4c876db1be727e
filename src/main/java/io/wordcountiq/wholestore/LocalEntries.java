package io.wordcountiq.wholestore;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyOrder;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * This instance's entries of a whole-store request: the store iterators of its partitions, merged in key order and
 * read in batches on the whole-store pool (RocksDB may block; the event loop never waits for it). Only the keys the
 * request admits; a page reads at most its limit plus one. The iterators are touched by one batch at a time and
 * closed on the pool too.
 */
final class LocalEntries implements EntrySource {

    static final int BATCH = 1024;

    private final List<KeyValueIterator<String, Long>> iterators;
    private final RangeRequest request;
    private final Executor pool;
    private final Executor loop;
    private final Deque<KeyValueBean> buffer = new ArrayDeque<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> a.entry.compareTo(b.entry));
    private long left;
    private boolean exhausted;
    private boolean reading;
    private boolean closed;
    private boolean iteratorsClosed;
    private Throwable failure;

    private record Head(KeyValueBean entry, KeyValueIterator<String, Long> iterator) {
    }

    /**
     * @param iterators one per partition, each in key order, already open
     * @param pool      where the iterators are read (blocking allowed)
     * @param loop      where this source is used (the request's event loop)
     */
    LocalEntries(List<KeyValueIterator<String, Long>> iterators, RangeRequest request, Executor pool, Executor loop) {
        this.iterators = new ArrayList<>(iterators);
        this.request = request;
        this.pool = pool;
        this.loop = loop;
        this.left = request.paged() ? request.limit() + 1L : Long.MAX_VALUE;
    }

    @Override
    public KeyValueBean peek() {
        return buffer.peekFirst();
    }

    @Override
    public KeyValueBean take() {
        return buffer.pollFirst();
    }

    @Override
    public boolean done() {
        return buffer.isEmpty() && (exhausted || failure != null || closed);
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public void demand(Runnable ready) {
        if (reading) {
            throw new IllegalStateException("a demand is already pending");
        }
        reading = true;
        try {
            pool.execute(() -> {
                List<KeyValueBean> batch = new ArrayList<>();
                Throwable failed = null;
                boolean end = false;
                try {
                    end = readBatch(batch);
                } catch (RuntimeException e) {
                    failed = e;
                }
                boolean finalEnd = end;
                Throwable finalFailure = failed;
                loop.execute(() -> {
                    reading = false;
                    buffer.addAll(batch);
                    exhausted |= finalEnd;
                    if (finalFailure != null) {
                        failure = finalFailure;
                    }
                    if (closed || exhausted || failure != null) {
                        closeIterators();
                    }
                    ready.run();
                });
            });
        } catch (RejectedExecutionException e) {
            reading = false;
            failure = ApiError.notReady("too many whole-store reads at once; retry shortly");
            ready.run();
        }
    }

    /** Reads up to a batch of admitted entries; true at the end. Runs on the pool. */
    private boolean readBatch(List<KeyValueBean> batch) {
        if (heads.isEmpty() && !iteratorsClosed && left > 0) {
            for (KeyValueIterator<String, Long> it : iterators) {
                push(it);
            }
            iterators.clear();
        }
        while (batch.size() < BATCH && left > 0) {
            Head head = heads.poll();
            if (head == null) {
                return true;
            }
            push(head.iterator);
            String key = head.entry.key();
            if (request.to() != null && KeyOrder.compare(key, request.to()) > 0) {
                continue;
            }
            if (request.admits(key)) {
                batch.add(head.entry);
                left--;
            }
        }
        return left == 0 || heads.isEmpty();
    }

    private void push(KeyValueIterator<String, Long> it) {
        while (it.hasNext()) {
            KeyValue<String, Long> kv = it.next();
            if (request.to() != null && KeyOrder.compare(kv.key, request.to()) > 0) {
                break;
            }
            heads.add(new Head(new KeyValueBean(kv.key, kv.value), it));
            return;
        }
        it.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        if (!reading) {
            closeIterators();
        }
    }

    /** Closes every iterator on the pool (never while a batch reads them). */
    private void closeIterators() {
        if (iteratorsClosed) {
            return;
        }
        iteratorsClosed = true;
        List<KeyValueIterator<String, Long>> open = new ArrayList<>(iterators);
        heads.forEach(h -> open.add(h.iterator));
        heads.clear();
        iterators.clear();
        Runnable close = () -> open.forEach(KeyValueIterator::close);
        try {
            pool.execute(close);
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }
}
