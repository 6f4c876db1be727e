package io.wordcountiq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wordcountiq.model.ApiError;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A failure no route answered: a 500 only while the routes are up; a stopping instance says it is stopping. */
class ServerErrorsTest {

    @Test
    void shouldAnswerAnUnhandledFailure503WithRetryAfterWhileTheRoutesAreNotUp() {
        AtomicBoolean up = new AtomicBoolean(true);
        ServerErrors errors = new ServerErrors("localhost:8080", up::get);

        assertThat(errors.unhandled().status()).isEqualTo(500);
        up.set(false);
        ApiError stopping = errors.unhandled();
        assertThat(stopping.status()).isEqualTo(503);
        assertThat(stopping.getMessage()).contains("stopping");
        assertThat(stopping.retryAfterSeconds()).isEqualTo(1);
    }
}
