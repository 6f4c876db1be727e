package io.wordcountiq.wire;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token goes out and comes back unchanged; one this service did not issue is a 400 at once. */
class TokensTest {

    private static final ConsistencyToken TOKEN = new ConsistencyToken(Map.of(0, 12L, 3, 7L), Set.of(1, 2), Map.of(1, 99L));

    private final Tokens tokens = new Tokens(List.of("current-secret-0123"));

    @Test
    void shouldReadBackTheTokenItWrote() {
        String wire = tokens.encode(TOKEN);

        assertThat(wire).matches("t1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{16}");
        assertThat(tokens.decode(wire)).isEqualTo(TOKEN);
        assertThat(tokens.decode(tokens.encode(ConsistencyToken.NONE))).isEqualTo(ConsistencyToken.NONE);
        assertThat(tokens.decode(null)).isEqualTo(ConsistencyToken.NONE);
        assertThat(tokens.decode("  ")).isEqualTo(ConsistencyToken.NONE);
    }

    @Test
    void shouldRefuseATokenWhosePayloadWasChanged() {
        String wire = tokens.encode(TOKEN);
        String[] parts = wire.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("w=0:999999999;s=".getBytes(StandardCharsets.US_ASCII));

        assertRefused(parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void shouldRefuseGarbageAndTokensOfAnotherSecret() {
        String foreign = new Tokens(List.of("another-secret-456")).encode(TOKEN);

        assertRefused(foreign);
        assertRefused("t1.%%%.%%%");
        assertRefused("t2." + tokens.encode(TOKEN).substring(3));
        assertRefused("hello");
        assertRefused("t1." + "A".repeat(3000) + ".AAAA");
    }

    @Test
    void shouldAcceptTokensOfThePreviousSecretDuringARotation() {
        String old = tokens.encode(TOKEN);
        Tokens rotated = new Tokens(List.of("next-secret-789012", "current-secret-0123"));

        assertThat(rotated.decode(old)).isEqualTo(TOKEN);
        assertRefused(rotated.encode(TOKEN)); // an instance not rotated yet does not know the new secret's tokens
    }

    @Test
    void shouldKeepTheLaterFactOfEachPartitionWhenTokensMerge() {
        ConsistencyToken other = new ConsistencyToken(Map.of(0, 5L, 2, 1L), Set.of(3), Map.of(1, 100L, 4, 3L));

        ConsistencyToken merged = TOKEN.merge(other);

        assertThat(merged.writes()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 12L, 2, 1L, 3, 7L));
        assertThat(merged.positions()).containsExactlyInAnyOrderEntriesOf(Map.of(1, 100L, 4, 3L));
        assertThat(merged.touched()).as("the writes of both touched these store partitions").containsExactlyInAnyOrder(1, 2, 3);
        assertThat(TOKEN.withPosition(1, 50L)).as("a position never goes back").isEqualTo(TOKEN);
    }

    @Test
    void shouldWaitForWritesOnlyInThePartitionsTheyTouchedAndEverywhereForAnEarlierVersionsToken() {
        assertThat(TOKEN.writesConcern(1)).isTrue();
        assertThat(TOKEN.writesConcern(0)).as("no word of the lines counts in partition 0").isFalse();
        String earlier = "t1." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "w=0:12;s=".getBytes(StandardCharsets.US_ASCII));
        ConsistencyToken old = tokens.decode(tokens.encode(new ConsistencyToken(Map.of(0, 12L), null, Map.of())));
        assertThat(old.touched()).isNull();
        assertThat(old.writesConcern(0)).isTrue();
        assertThat(earlier).startsWith("t1.");
    }

    @Test
    void shouldCarryWhatObserversWereReadAtAndKeepTheLaterPositionOfEachOutputPartition() {
        ConsistencyToken seen = TOKEN.withObserved(false, 2, 40L).withObserved(true, 2, 7L).withObserved(false, 2, 30L);

        assertThat(tokens.decode(tokens.encode(seen))).isEqualTo(seen);
        assertThat(seen.observed()).as("an observer's position never goes back").containsExactlyEntriesOf(Map.of(2, 40L));
        assertThat(seen.observedWindows()).containsExactlyEntriesOf(Map.of(2, 7L));
        assertThat(seen.merge(ConsistencyToken.NONE.withObserved(false, 2, 41L).withObserved(false, 0, 1L)).observed())
                .containsExactlyInAnyOrderEntriesOf(Map.of(2, 41L, 0, 1L));
        assertThat(seen.partitions()).containsExactlyInAnyOrder(1, 2);
        assertThat(seen.concerns(2)).isTrue();
        assertThat(seen.concerns(0)).isFalse();
        ConsistencyToken onlyObserved = ConsistencyToken.NONE.withObserved(true, 3, 5L);
        assertThat(onlyObserved.isEmpty()).isFalse();
        assertThat(tokens.decode(tokens.encode(onlyObserved))).isEqualTo(onlyObserved);
    }

    @Test
    void shouldRefuseSectionsOutOfOrderOrTwice() {
        for (String payload : List.of("w=;s=;o=1:2;t=1", "w=;s=;o=1:2;o=1:3", "w=;s=;x=1:2", "w=;s=;o", "s=;w=")) {
            byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
            String body = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // Signed by the right secret, so only the payload's form can refuse it.
            assertRefused("t1." + body + "." + tokens.macOf(bytes));
        }
        byte[] valid = "w=;s=;t=1;v=1:2".getBytes(StandardCharsets.US_ASCII);
        assertThat(tokens.decode("t1." + Base64.getUrlEncoder().withoutPadding().encodeToString(valid) + "."
                + tokens.macOf(valid)).observedWindows()).containsExactlyEntriesOf(Map.of(1, 2L));
    }

    private void assertRefused(String wire) {
        assertThatThrownBy(() -> tokens.decode(wire)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }
}
