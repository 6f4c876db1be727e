package io.wordcountiq.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** WHOLE_STORE_CONCURRENCY counts unbounded reads, clients' and peers' apart; pages are never counted. */
class WholeStoreLimitsTest {

    private final WholeStoreLimits limits = new WholeStoreLimits(2);

    @Test
    void shouldRefuseTheThirdWholeStoreRequestAndAdmitItAgainOnceOneIsDone() {
        Runnable first = limits.admit(all(false, null));
        Runnable second = limits.admit(all(false, null));

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(limits.admit(all(false, null))).as("beyond WHOLE_STORE_CONCURRENCY").isNull();
        first.run();
        assertThat(limits.admit(all(false, null))).as("a permit given back").isNotNull();
    }

    @Test
    void shouldCountPartsReadForPeersApartFromClientsRequests() {
        limits.admit(all(false, null));
        limits.admit(all(false, null));

        assertThat(limits.admit(all(true, null))).isNotNull();
        assertThat(limits.admit(all(true, null))).isNotNull();
        assertThat(limits.admit(all(true, null))).isNull();
    }

    @Test
    void shouldAdmitEveryPageEvenWhenWholeStoreReadsUseEveryPermit() {
        limits.admit(all(false, null));
        limits.admit(all(false, null));
        limits.admit(all(true, null));
        limits.admit(all(true, null));

        assertThat(IntStream.range(0, 50).mapToObj(i -> limits.admit(all(i % 2 == 0, 1000))))
                .as("pages, and the parts read for them").doesNotContainNull();
    }

    private static RangeRequest all(boolean localOnly, Integer limit) {
        return new RangeRequest("word-count", null, null, false, limit, null, "/state/keyvalues/word-count/all", null,
                localOnly);
    }
}
