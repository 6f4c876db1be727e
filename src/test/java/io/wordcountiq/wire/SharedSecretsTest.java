package io.wordcountiq.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign with the current secret, accept either during a rotation, and keep each use's signatures to itself. */
class SharedSecretsTest {

    private static final byte[] DATA = "GET\n/state/keyvalue/word-count/a".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSignWithTheCurrentSecret() {
        SharedSecrets rotating = new SharedSecrets(List.of("new", "old"), "mark:");

        assertThat(rotating.sign(DATA)).isEqualTo(new SharedSecrets(List.of("new"), "mark:").sign(DATA))
                .isNotEqualTo(new SharedSecrets(List.of("old"), "mark:").sign(DATA));
    }

    @Test
    void shouldAcceptSignaturesOfTheCurrentAndThePreviousSecretCurrentFirst() {
        SharedSecrets rotating = new SharedSecrets(List.of("new", "old"), "mark:");

        assertThat(rotating.signatures(DATA)).containsExactly(new SharedSecrets(List.of("new"), "mark:").sign(DATA),
                new SharedSecrets(List.of("old"), "mark:").sign(DATA));
        assertThat(new SharedSecrets(List.of("new"), "mark:").signatures(DATA)).as("no rotation: one secret").hasSize(1);
    }

    @Test
    void shouldLeaveAnEmptyPreviousSecretOut() {
        SharedSecrets one = new SharedSecrets(List.of("new", ""), "mark:");

        assertThat(one.signatures(DATA)).hasSize(1);
        assertThat(one.sign(DATA)).isEqualTo(new SharedSecrets(List.of("new"), "mark:").sign(DATA));
    }

    @Test
    void shouldSignDifferentlyForEachUseAndEachPayload() {
        SharedSecrets marks = new SharedSecrets(List.of("s"), "mark:");
        SharedSecrets tokens = new SharedSecrets(List.of("s"), "token:");

        assertThat(marks.sign(DATA)).isNotEqualTo(tokens.sign(DATA));
        assertThat(marks.sign(DATA)).isNotEqualTo(marks.sign("other".getBytes(StandardCharsets.UTF_8)));
        assertThat(marks.sign(DATA)).as("an HMAC-SHA256").hasSize(32).isEqualTo(marks.sign(DATA));
    }

    @Test
    void shouldSignTheSameOnEveryThread() throws Exception {
        SharedSecrets secrets = new SharedSecrets(List.of("s"), "mark:");
        byte[] expected = secrets.sign(DATA);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<byte[]>> signs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                signs.add(() -> secrets.sign(DATA));
            }
            for (Future<byte[]> signature : pool.invokeAll(signs, 30, TimeUnit.SECONDS)) {
                assertThat(signature.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldWriteBase64UrlWithoutPadding() {
        assertThat(SharedSecrets.base64Url(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
        assertThat(SharedSecrets.base64Url(new byte[0])).isEmpty();
    }
}
