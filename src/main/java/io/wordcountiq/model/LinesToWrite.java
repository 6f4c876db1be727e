package io.wordcountiq.model;

import java.util.List;

/**
 * A checked POST /lines: the non-empty lines, each one record, and the token the writer presented (X-IQ-Token), so
 * the token it gets back covers what it had seen and what it wrote; {@code trace} (or null) goes into each record's
 * {@code traceparent} header. With an {@code idempotency} key (or null), the lines go as one record keyed by it, so every
 * attempt of the request lands in one input partition, where the topology counts only the first.
 */
public record LinesToWrite(List<String> lines, ConsistencyToken seen, TraceParent trace, IdempotencyKey idempotency) {

    public LinesToWrite {
        lines = List.copyOf(lines);
    }
}
