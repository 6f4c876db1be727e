package io.wordcountiq.query;

import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.LookaheadSource;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One partition's (or one global store's) entries of a whole-store request, straight from the store's iterator:
 * the keys the request admits (a page starts after its cursor), in the store's order.
 */
final class StoreEntries extends LookaheadSource {

    private final KeyValueIterator<String, Long> iterator;
    private final RangeRequest request;
    private boolean closed;

    StoreEntries(KeyValueIterator<String, Long> iterator, RangeRequest request) {
        this.iterator = iterator;
        this.request = request;
        readFirst();
    }

    @Override
    protected KeyValueBean read() {
        while (!closed && iterator.hasNext()) {
            KeyValue<String, Long> kv = iterator.next();
            if (request.admits(kv.key)) {
                return new KeyValueBean(kv.key, kv.value);
            }
            if (request.to() != null && io.wordcountiq.model.KeyOrder.compare(kv.key, request.to()) > 0) {
                break;
            }
        }
        close();
        return null;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            iterator.close();
        }
    }
}
