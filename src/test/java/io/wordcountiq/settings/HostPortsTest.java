package io.wordcountiq.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortsTest {

    @Test
    void shouldReadAListIgnoringBlanksAndDroppingDuplicates() {
        assertThat(HostPorts.list("UI_OBSERVERS", " obs-0:8080, ,obs-1.svc:8080,obs-0:8080"))
                .containsExactly("obs-0:8080", "obs-1.svc:8080");
    }

    @Test
    void shouldReadAnEmptyListAsNone() {
        assertThat(HostPorts.list("UI_OBSERVERS", "")).isEmpty();
    }

    @Test
    void shouldRefuseAnEntryWithoutAValidPort() {
        assertThatThrownBy(() -> HostPorts.list("UI_OBSERVERS", "obs-0")).hasMessageContaining("UI_OBSERVERS");
        assertThatThrownBy(() -> HostPorts.list("UI_OBSERVERS", "obs-0:70000")).hasMessageContaining("obs-0:70000");
        assertThatThrownBy(() -> HostPorts.list("UI_OBSERVERS", "obs 0:80")).hasMessageContaining("obs 0:80");
    }

    @Test
    void shouldRefuseAnApplicationServerWithoutHostOrPort() {
        assertThat(HostPorts.server("wc-0:8080")).isEqualTo("wc-0:8080");
        assertThatThrownBy(() -> HostPorts.server(":8080")).hasMessageContaining("APPLICATION_SERVER");
        assertThatThrownBy(() -> HostPorts.server("wc-0:")).hasMessageContaining("APPLICATION_SERVER");
    }
}
