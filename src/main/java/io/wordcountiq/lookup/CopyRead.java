package io.wordcountiq.lookup;

import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.StoreRequest;

/**
 * One read of a partition's copy here: the result, the copy read (null when no copy could be read, and the result
 * says why) and its repartition-topic position (-1 for none).
 */
record CopyRead(QueryResult result, Copy copy, long position) {

    static CopyRead failed(QueryResult result) {
        return new CopyRead(result, null, -1);
    }

    /** The answer, with the request's token advanced to this read's position: the token says what it reflects. */
    QueryResult withToken(StoreRequest request, int partition) {
        ConsistencyToken token = request.token().withPosition(partition, position);
        return result instanceof Absent absent ? new Absent(absent.key(), absent.copy(), token)
                : new Found(((Found) result).json(), copy, token);
    }
}
