package io.wordcountiq.health;

import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.TraceParent;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Every HTTP request belongs to a W3C trace: the {@code traceparent} it came with, or a new one. As the request's
 * first route begins, the trace goes on the exchange ({@link Headers#TRACE}, which every hop, peer part and record of
 * POST /lines carries on) and into the log's MDC as {@code trace_id}; when the route is done it leaves the MDC and,
 * with ACCESS_LOG=true, the request is logged once: method, path and query, status, time. (A worker thread keeps the
 * trace id of its last request in its MDC until its next request begins; only requests run on those threads.)
 */
public class RequestTracing implements RoutePolicy, RoutePolicyFactory {

    /** The MDC key the log pattern prints (log4j2.properties). */
    public static final String MDC_TRACE_ID = "trace_id";

    private static final Logger ACCESS = LoggerFactory.getLogger("io.wordcountiq.access");
    private static final String BEGUN = "iqTraceBegun";

    private final boolean accessLog;

    public RequestTracing(boolean accessLog) {
        this.accessLog = accessLog;
    }

    @Override
    public RoutePolicy createRoutePolicy(org.apache.camel.CamelContext camelContext, String routeId, NamedNode route) {
        return this;
    }

    // Not a stateful service: Camel runs a route policy that is one only while it is started, and this one is shared
    // by every route, reloaded ones too.
    @Override
    public void onInit(Route route) {
    }

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!(exchange.getFromEndpoint() instanceof PlatformHttpEndpoint) || exchange.getProperty(BEGUN) != null) {
            return;
        }
        TraceParent incoming = TraceParent.parse(exchange.getMessage().getHeader(Headers.TRACEPARENT, String.class));
        TraceParent trace = incoming != null ? incoming : TraceParent.newTrace();
        exchange.setProperty(ExchangeProperties.TRACE, trace);
        exchange.setProperty(BEGUN, new Begun(route.getRouteId(), System.nanoTime(),
                exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class),
                exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class)));
        MDC.put(MDC_TRACE_ID, trace.traceId());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Begun begun = exchange.getProperty(BEGUN, Begun.class);
        if (begun == null || !begun.routeId().equals(route.getRouteId())) {
            return;
        }
        // A streamed answer is done on the thread that wrote it, not the one the request began on: the trace goes
        // into this thread's MDC for the access line, and out of it again.
        TraceParent trace = exchange.getProperty(ExchangeProperties.TRACE, TraceParent.class);
        if (accessLog && trace != null) {
            MDC.put(MDC_TRACE_ID, trace.traceId());
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, exchange.isFailed() ? 500 : 200,
                    Integer.class);
            ACCESS.info("{} {} {} {} ms", begun.method(), printable(begun.uri()), status,
                    String.format("%.2f", (System.nanoTime() - begun.startNanos()) / 1e6));
        }
        MDC.remove(MDC_TRACE_ID);
    }

    /**
     * A request's text as a log line may show it: control characters (C0, DEL, C1 such as NEL) and the Unicode line
     * and paragraph separators become \\uXXXX, so a request cannot forge or break log lines.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == '\\';
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** When and where the request began, to log it once at the end of the same route. */
    private record Begun(String routeId, long startNanos, String method, String uri) {
    }
}
