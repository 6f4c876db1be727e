package io.wordcountiq.model;

import java.util.List;

/**
 * A checked POST /lines: the non-empty lines, each one record, and the token the writer presented (X-IQ-Token), so
 * the token it gets back covers what it had seen and what it wrote; {@code trace} (or null) goes into each record's
 * {@code traceparent} header.
 */
public record LinesToWrite(List<String> lines, ConsistencyToken seen, TraceParent trace) {

    public LinesToWrite {
        lines = List.copyOf(lines);
    }
}
