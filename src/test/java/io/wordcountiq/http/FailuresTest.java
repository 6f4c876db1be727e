package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client is told about a failure nobody named: a 503 to retry when it passes, else a bare 500. */
class FailuresTest {

    @Test
    void shouldPassAnApiErrorOnAsItIsEvenInsideAsynchronousWrappers() {
        ApiError notFound = ApiError.notFound("unknown store 'x'");

        assertThat(Failures.toApiError(notFound, "route")).isSameAs(notFound);
        assertThat(Failures.toApiError(new CompletionException(new ExecutionException(notFound)), "route"))
                .isSameAs(notFound);
    }

    @Test
    void shouldTellTheClientToRetryWhatPassesByItself() {
        assertRetry(new DirectConsumerNotAvailableException("no consumer", null), "reloaded");
        assertRetry(new RejectedExecutionException("pool full"), "too busy");
        assertRetry(new ConnectException("refused"), "could not be reached");
        assertRetry(new IOException("reset"), "could not be reached");
        assertRetry(new InvalidStateStoreException("rebalancing"), "being moved");
        assertRetry(new CompletionException(new InvalidStateStoreException("rebalancing")), "being moved");
    }

    @Test
    void shouldAnswerAnythingElseWithA500ThatRevealsNothing() {
        ApiError error = Failures.toApiError(new IllegalStateException("secret=hunter2 at /etc/app"), "route");

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.getMessage()).isEqualTo("internal error");
        assertThat(error.retryAfterSeconds()).isNull();
        assertThat(Failures.toApiError(new RuntimeException(new IOException("wrapped otherwise")), "route").status())
                .as("only the asynchronous wrappers are looked through").isEqualTo(500);
        assertThat(Failures.toApiError(null, "route").status()).isEqualTo(500);
    }

    @Test
    void shouldUnwrapOnlyCompletionAndExecutionExceptions() {
        IOException cause = new IOException("x");
        RuntimeException other = new RuntimeException(cause);

        assertThat(Failures.unwrap(new CompletionException(new ExecutionException(cause)))).isSameAs(cause);
        assertThat(Failures.unwrap(other)).isSameAs(other);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(Failures.unwrap(empty)).as("a wrapper without a cause is the failure").isSameAs(empty);
    }

    private static void assertRetry(Throwable failure, String reason) {
        ApiError error = Failures.toApiError(failure, "route");
        assertThat(error.status()).as(failure.toString()).isEqualTo(503);
        assertThat(error.retryAfterSeconds()).isEqualTo(1);
        assertThat(error.getMessage()).contains(reason);
    }
}
