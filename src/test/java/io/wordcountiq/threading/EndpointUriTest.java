package io.wordcountiq.threading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointUriTest {

    @Test
    void shouldSplitSchemePathAndQuery() {
        assertThat(EndpointUri.of("bean:lineWriter?method=write&cache=true"))
                .isEqualTo(new EndpointUri("bean", "lineWriter", "method=write&cache=true"));
        assertThat(EndpointUri.of("log:hop")).isEqualTo(new EndpointUri("log", "hop", ""));
        assertThat(EndpointUri.of("nothing")).isEqualTo(new EndpointUri("nothing", "", ""));
    }

    @Test
    void shouldFindAQueryParameterByItsWholeName() {
        EndpointUri uri = EndpointUri.of("bean:x?methodName=a&method=b");

        assertThat(uri.parameter("method")).isEqualTo("b");
        assertThat(uri.parameter("cache")).isNull();
    }
}
