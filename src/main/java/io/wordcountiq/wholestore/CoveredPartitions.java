package io.wordcountiq.wholestore;

import io.wordcountiq.consistency.Coverage;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which of this instance's partitions, as one read found them, a whole-store part keeps for its request: those maxLag
 * admits and that cover the token's seen positions and (already checked) writes. The rest are left out.
 *
 * @param kept    the partitions kept, with the position read
 * @param toCheck the partitions whose copy must first be checked against the token's writes, with the position read
 * @param behind  why a partition is behind a position the token saw, or null
 * @param lag     the largest lag of a kept copy other than the processing active one (-1: unknown), or null for none
 */
record CoveredPartitions(Map<Integer, Long> kept, Map<Integer, Long> toCheck, String behind, Long lag) {

    /**
     * @param positions     every partition read, with its position, in the order they were read
     * @param writesCovered the partitions whose copy was found covering the token's writes before this read
     */
    static CoveredPartitions sort(RangeRequest request, Map<Integer, Copy> copies, Map<Integer, Long> positions,
                                  Set<Integer> writesCovered) {
        Map<Integer, Long> kept = new HashMap<>();
        Map<Integer, Long> toCheck = new HashMap<>();
        String behind = null;
        Long lag = null;
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            int p = e.getKey();
            Copy copy = copies.get(p);
            if (tooFar(request, copy)) {
                continue;
            }
            String positionBehind = Coverage.positionBehind(request.token(), p, e.getValue());
            if (positionBehind == null && request.token().committedConcern(p) && !writesCovered.contains(p)) {
                toCheck.put(p, e.getValue());
            } else if (positionBehind != null) {
                behind = positionBehind;
            } else {
                kept.put(p, e.getValue());
                if (copy.kind() != Copy.Kind.ACTIVE) {
                    lag = StorePart.staler(lag, copy.lag() == null ? Long.valueOf(-1) : copy.lag());
                }
            }
        }
        return new CoveredPartitions(kept, toCheck, behind, lag);
    }

    /** Something to wait for: a partition behind a seen position, or one to check against the token's writes. */
    boolean waiting() {
        return behind != null || !toCheck.isEmpty();
    }

    /** A copy other than the processing active one that maxLag does not admit: its partition stays missing. */
    private static boolean tooFar(RangeRequest request, Copy copy) {
        Long maxLag = request.maxLag();
        return maxLag != null && copy.kind() != Copy.Kind.ACTIVE
                && (copy.kind() == Copy.Kind.RESTORING || copy.lag() == null || copy.lag() > maxLag);
    }
}
