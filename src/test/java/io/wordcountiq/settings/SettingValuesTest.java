package io.wordcountiq.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingValuesTest {

    private static SettingValues values(Map<String, String> set, Map<String, String> defaults) {
        Properties props = new Properties();
        props.putAll(defaults);
        return new SettingValues(key -> Optional.ofNullable(set.get(key)), props);
    }

    @Test
    void shouldTakeTheDefaultWhenAKeyIsMissingOrBlank() {
        SettingValues v = values(Map.of("a", " "), Map.of("a", "1", "b", "2"));

        assertThat(v.text("a")).isEqualTo("1");
        assertThat(v.text("b")).isEqualTo("2");
    }

    @Test
    void shouldRefuseAKeyWithNoValueAndNoDefault() {
        assertThatThrownBy(() -> values(Map.of(), Map.of()).text("missing")).hasMessageContaining("no default");
    }

    @Test
    void shouldDeriveAValueOnlyWhenTheKeyIsEmpty() {
        SettingValues v = values(Map.of("set", "mine"), Map.of());

        assertThat(v.text("set", "derived")).isEqualTo("mine");
        assertThat(v.text("unset", "derived")).isEqualTo("derived");
    }

    @Test
    void shouldParseNumbersFlagsAndOptionalCountsStrictly() {
        SettingValues v = values(Map.of("n", "12", "big", "3000000000", "f", "TRUE", "bad", "x", "lag", "", "neg", "-1"),
                Map.of());

        assertThat(v.integer("n")).isEqualTo(12);
        assertThat(v.flag("f")).isTrue();
        assertThat(v.optionalCount("lag", "LAG")).isNull();
        assertThatThrownBy(() -> v.integer("big")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> v.number("bad")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> v.flag("bad")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> v.optionalCount("neg", "LAG")).hasMessageContaining("LAG must be a number of records");
    }

    @Test
    void shouldFindEveryDefaultInThePackagedProperties() {
        assertThat(SettingValues.packagedDefaults()).containsKeys("http.port", "forward.scheme", "data.dir");
    }
}
