package io.wordcountiq.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldKeepAConfiguredForwardSecretOfSixteenCharactersOrMore() {
        assertThat(Secrets.forwardSecret("0123456789abcdef", false)).isEqualTo("0123456789abcdef");
    }

    @Test
    void shouldRefuseAShortForwardSecret() {
        assertThatThrownBy(() -> Secrets.forwardSecret("short", true)).hasMessageContaining("at least 16");
    }

    @Test
    void shouldRequireAForwardSecretWithAnExternalBroker() {
        assertThatThrownBy(() -> Secrets.forwardSecret("", false)).hasMessageContaining("FORWARD_SECRET is not set");
    }

    @Test
    void shouldGiveAnEmbeddedBrokerARandomSecretOfItsOwn() {
        String one = Secrets.forwardSecret("", true);

        assertThat(one).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(Secrets.forwardSecret("", true));
    }
}
