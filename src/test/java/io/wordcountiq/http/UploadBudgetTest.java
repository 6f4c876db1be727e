package io.wordcountiq.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes of every upload buffered at once stay within the budget; released bytes can be reserved again. */
class UploadBudgetTest {

    @Test
    void shouldReserveUpToTheCapacityExactly() {
        UploadBudget budget = new UploadBudget(100);

        assertThat(budget.reserve(60)).isTrue();
        assertThat(budget.reserve(40)).as("exactly full fits").isTrue();
        assertThat(budget.used()).isEqualTo(100);
        assertThat(budget.reserve(1)).isFalse();
    }

    @Test
    void shouldNotReserveAnythingOfARefusedRequest() {
        UploadBudget budget = new UploadBudget(100);
        budget.reserve(70);

        assertThat(budget.reserve(31)).isFalse();
        assertThat(budget.used()).as("a refused reservation takes nothing").isEqualTo(70);
        assertThat(budget.reserve(30)).isTrue();
    }

    @Test
    void shouldRefuseABodyLargerThanTheWholeBudget() {
        UploadBudget budget = new UploadBudget(100);

        assertThat(budget.reserve(101)).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void shouldTakeBytesBackOnRelease() {
        UploadBudget budget = new UploadBudget(100);
        budget.reserve(100);

        budget.release(100);

        assertThat(budget.used()).isZero();
        assertThat(budget.reserve(100)).isTrue();
    }

    @Test
    void shouldNeverOverbookWhenManyUploadsReserveAtOnce() throws Exception {
        UploadBudget budget = new UploadBudget(1_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> uploads = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                uploads.add(() -> budget.reserve(10));
            }
            long granted = 0;
            for (Future<Boolean> f : pool.invokeAll(uploads, 30, TimeUnit.SECONDS)) {
                granted += f.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(100);
            assertThat(budget.used()).isEqualTo(1_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
