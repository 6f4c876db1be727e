package io.wordcountiq.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * What came of one {@link PeerCall}: an answer (any status), or why there was none. The {@code peer:} endpoint puts
 * it in the body; a failure to reach a peer is a value here, never an exception a route must catch.
 */
public sealed interface PeerReply {

    /** The call's target, host:port. */
    String address();

    /** From sending the call to its answer's headers (or its failure). */
    double elapsedMs();

    /**
     * The peer answered.
     *
     * @param headers the answer's headers, names case-insensitive
     * @param body    the whole body ({@link PeerCall.Mode#BUFFERED}); null when streamed
     * @param stream  the body as it arrives ({@link PeerCall.Mode#STREAMED}); null when buffered
     */
    record Answered(String address, int status, Map<String, String> headers, byte[] body, ChunkStream stream,
                    double elapsedMs) implements PeerReply {

        public Answered {
            TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(headers);
            headers = copy;
        }

        public String header(String name) {
            return headers.get(name);
        }

        /** Whether an instance answered (it names itself); a proxy on the way does not. */
        public boolean fromInstance() {
            return headers.containsKey(Headers.SERVED_BY);
        }
    }

    /** No answer: the peer could not be reached, did not answer in time, or broke the answer off. */
    record Failed(String address, Failure failure, String reason, double elapsedMs) implements PeerReply {
    }

    enum Failure {
        /** Refused, unknown host, no route: nothing listens there. */
        REFUSED,
        /** No connection or no answer in time. */
        TIMEOUT,
        /** Anything else: a broken connection, a malformed answer, an answer too large. */
        FAILED
    }
}
