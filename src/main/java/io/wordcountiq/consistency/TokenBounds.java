package io.wordcountiq.consistency;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A token names partitions that exist and writes that happened: an input partition the topic does not have, or an
 * offset beyond its end, comes from no write of this cluster (400).
 */
final class TokenBounds {

    private TokenBounds() {
    }

    /** Every input and store partition the token names is below {@code count}. */
    static void requirePartitions(ConsistencyToken token, int count) {
        for (Integer p : token.writes().keySet()) {
            if (p < 0 || p >= count) {
                throw ApiError.badRequest("X-IQ-Token names input partition " + p + ", which does not exist ("
                        + count + " partitions)");
            }
        }
        for (Integer p : token.partitions()) {
            if (p < 0 || p >= count) {
                throw ApiError.badRequest("X-IQ-Token names store partition " + p + ", which does not exist ("
                        + count + " partitions)");
            }
        }
    }

    /** Every write the token names is below the input partition's end offset. */
    static void requireWritesReceived(ConsistencyToken token, Map<TopicPartition, Long> ends, String inputTopic) {
        token.writes().forEach((p, o) -> {
            Long e = ends.get(new TopicPartition(inputTopic, p));
            if (e == null || o > e) {
                throw ApiError.badRequest("X-IQ-Token names writes this cluster never received (input partition " + p
                        + " offset " + o + ", end " + e + ")");
            }
        });
    }
}
