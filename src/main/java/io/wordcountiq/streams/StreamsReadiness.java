package io.wordcountiq.streams;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether an instance can serve queries. A word-count instance is ready once it has reached RUNNING and stays ready
 * while RUNNING or REBALANCING, so surviving instances keep serving through a rebalance. An observer's global table is
 * complete only in RUNNING. Never ready before the first assignment, in ERROR, or while stopping.
 */
final class StreamsReadiness {

    private StreamsReadiness() {
    }

    /** @param state the Streams client's state, or null before there is a client */
    static boolean ready(KafkaStreams.State state, boolean reachedRunning, boolean stopping, boolean observer) {
        if (state == null || stopping || !reachedRunning) {
            return false;
        }
        return state == KafkaStreams.State.RUNNING || (state == KafkaStreams.State.REBALANCING && !observer);
    }

    /** The state as health reports it: NOT_STARTED or ERROR before there is a client. */
    static String name(KafkaStreams.State state, boolean startFailed) {
        if (state == null) {
            return startFailed ? "ERROR" : "NOT_STARTED";
        }
        return state.name();
    }
}
