package io.wordcountiq.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wordcountiq.lookup.ObserverReads.At;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import org.junit.jupiter.api.Test;

/** An observer's own decisions: how far behind it may answer, and when a token's partitions compare on it. */
class ObserverReadsTest {

    private static KeyRequest maxLag(Long maxLag) {
        return new KeyRequest("word-count", "hello", false, ConsistencyToken.NONE, maxLag);
    }

    @Test
    void shouldRefuseAnObserverFurtherBehindThanMaxLag() {
        At at = new At(false, 1, 100, 7L);

        assertThat(ObserverReads.beyondMaxLag(maxLag(6L), at)).isEqualTo(new Unavailable(
                "this observer is 7 records behind the output topic, more than maxLag=6"));
        assertThat(ObserverReads.beyondMaxLag(maxLag(7L), at)).isNull();
        assertThat(ObserverReads.beyondMaxLag(maxLag(null), at)).isNull();
        assertThat(ObserverReads.beyondMaxLag(maxLag(1000L), new At(false, 1, 100, null)))
                .isEqualTo(new Unavailable("this observer is an unknown number of records behind the output topic, "
                        + "more than maxLag=1000"));
    }

    @Test
    void shouldAnswerFromTheGlobalCopyWithItsLag() {
        assertThat(new At(true, 0, 5, 3L).copy()).isEqualTo(new Copy(Copy.Kind.GLOBAL, 3L));
    }

    @Test
    void shouldRefuseATokenWhenTheOutputTopicHasAnotherNumberOfPartitions() {
        assertThat(ObserverReads.requireComparable("counts", 4, 4)).isEqualTo(4);
        assertThatThrownBy(() -> ObserverReads.requireComparable("counts", 2, 4)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(503))
                .hasMessage("counts has 2 partitions and the input topic 4: a token's partitions cannot be compared on an observer");
    }
}
