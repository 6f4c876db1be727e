package io.wordcountiq.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** W3C Trace Context: a valid traceparent is continued, anything else starts a new trace; hops keep the trace id. */
class TraceParentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void shouldReadAValidTraceparent() {
        TraceParent trace = TraceParent.parse(VALID);

        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(trace.flags()).isEqualTo("01");
        assertThat(trace.header()).isEqualTo(VALID);
        assertThat(TraceParent.parse(" " + VALID + " ")).isEqualTo(trace);
        assertThat(TraceParent.parse("cc" + VALID.substring(2) + "-what-the-future-adds"))
                .as("a later version: its first fields are read").isNotNull();
    }

    @Test
    void shouldRefuseWhatIsNotAValidTraceparent() {
        assertThat(TraceParent.parse(null)).isNull();
        assertThat(TraceParent.parse("")).isNull();
        assertThat(TraceParent.parse(VALID.toUpperCase())).as("upper-case hex").isNull();
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).as("zero trace").isNull();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).as("zero span").isNull();
        assertThat(TraceParent.parse("ff" + VALID.substring(2))).as("version ff").isNull();
        assertThat(TraceParent.parse(VALID + "-extra")).as("version 00 has exactly four fields").isNull();
        assertThat(TraceParent.parse(VALID.substring(0, 54))).isNull();
        assertThat(TraceParent.parse(VALID.replace('-', '_'))).isNull();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01")).isNull();
    }

    @Test
    void shouldKeepTheTraceAndFlagsOnAHopWithANewSpan() {
        TraceParent trace = TraceParent.parse(VALID);

        TraceParent hop = trace.child();

        assertThat(hop.traceId()).isEqualTo(trace.traceId());
        assertThat(hop.flags()).isEqualTo("01");
        assertThat(hop.parentId()).isNotEqualTo(trace.parentId()).matches("[0-9a-f]{16}");
        assertThat(TraceParent.parse(hop.header())).isEqualTo(hop);
    }

    @Test
    void shouldStartAValidUnsampledTraceWhenNoneCame() {
        TraceParent root = TraceParent.newTrace();

        assertThat(TraceParent.parse(root.header())).isEqualTo(root);
        assertThat(root.flags()).isEqualTo("00");
        assertThat(TraceParent.newTrace().traceId()).isNotEqualTo(root.traceId());
    }
}
