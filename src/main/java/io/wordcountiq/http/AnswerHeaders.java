package io.wordcountiq.http;

import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.PartitionList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Message;

/** The X-IQ-* headers that say what an answer is made of: which copy, how stale, what is missing, which partitions. */
final class AnswerHeaders {

    private AnswerHeaders() {
    }

    /** Which copy a key lookup read: X-IQ-Copy, and X-IQ-Stale and X-IQ-Lag when it may lag behind. */
    static void copyHeaders(Message out, Copy copy) {
        if (copy == null) {
            return;
        }
        out.setHeader(Headers.COPY, copy.header());
        if (copy.stale()) {
            out.setHeader(Headers.STALE, "true");
        }
        if (copy.lag() != null) {
            out.setHeader(Headers.LAG, copy.lag().toString());
        }
    }

    /** A partial whole-store answer names what is missing; a peer's part names the partitions it covers. */
    static void wholeStoreHeaders(Message out, List<String> missing, Set<Integer> partitions) {
        if (missing != null) {
            out.setHeader(Headers.MISSING, String.join(",", missing));
        }
        if (partitions != null) {
            out.setHeader(Headers.PARTITIONS, PartitionList.format(partitions));
        }
    }

    /** A whole-store answer read partly from standbys says so, and how far behind they are (-1: not known). */
    static void staleHeaders(Message out, Long staleLag) {
        if (staleLag != null) {
            out.setHeader(Headers.STALE, "true");
            out.setHeader(Headers.LAG, staleLag.toString());
        }
    }
}
