package io.wordcountiq.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decisions of the whole-store route (routes/keyvalues.camel.yaml): "all" and range ask every instance hosting the
 * store in parallel, each in local-only mode, while this instance reads its own part; then the sorted parts are
 * merged. A partial answer says so in X-IQ-Missing.
 */
public class ScatterGather implements AggregationStrategy {

    public static final String RECIPIENTS = "iqRecipients";
    static final String LOCAL_PART = "iqLocalPart";
    static final String PEERS = "iqPeers";
    static final String REPLIES = "iqReplies";
    static final String STRICT = "iqStrict";
    static final String EXPECTED_PARTITIONS = "iqExpectedPartitions";

    record PeerReply(String host, List<KeyValueBean> entries, Set<Integer> partitions) {
    }

    private final LocalStateQueries local;
    private final ForwardMarker marker;
    private final String scheme;
    private final long timeoutMs;
    private final ExecutorService localReads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scatter-gather-local");
        t.setDaemon(true);
        return t;
    });

    public ScatterGather(LocalStateQueries local, ForwardMarker marker, String scheme, long timeoutMs) {
        this.local = local;
        this.marker = marker;
        this.scheme = scheme;
        this.timeoutMs = timeoutMs;
    }

    public void all(Exchange exchange) {
        plan(exchange, null, null);
    }

    public void range(Exchange exchange) {
        Message in = exchange.getMessage();
        plan(exchange, in.getHeader("from", String.class), in.getHeader("to", String.class));
    }

    private void plan(Exchange exchange, String from, String to) {
        Message in = exchange.getMessage();
        String store = local.validateRange(exchange, from, to);
        if (local.isObserver()) {
            local.reply(exchange, EntriesJson.write(local.readRange(store, from, to)), false);
            return;
        }
        if (local.isForwarded(exchange)) {
            Set<Integer> myPartitions = local.localActivePartitions(store);
            local.reply(exchange, EntriesJson.write(local.readRange(store, from, to)), false);
            exchange.getMessage().setHeader(Headers.PARTITIONS, join(myPartitions));
            return;
        }
        List<HostInfo> peers = local.hostsOf(store).stream()
                .map(StreamsMetadata::hostInfo)
                .filter(h -> !h.equals(local.selfHost()) && RecipientPlanner.usable(h))
                .distinct()
                .toList();
        // This instance's own part is read while the peers are asked.
        Set<Integer> myPartitions = local.localActivePartitions(store);
        exchange.setProperty(LOCAL_PART, CompletableFuture.supplyAsync(
                () -> new PeerReply(local.self(), local.readRange(store, from, to), myPartitions), localReads));
        exchange.setProperty(PEERS, peers);
        exchange.setProperty(STRICT, "true".equalsIgnoreCase(in.getHeader("strict", String.class)));
        exchange.setProperty(EXPECTED_PARTITIONS, expectedPartitions());
        exchange.setProperty(RECIPIENTS, peers.stream()
                .map(h -> scheme + "://" + RecipientPlanner.address(h) + "?throwExceptionOnFailure=false&httpMethod=GET")
                .collect(Collectors.joining(",")));
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        in.removeHeaders("*");
        in.setBody(null);
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, path);
        in.setHeader(Headers.FORWARDED, marker.sign(System.currentTimeMillis()));
        exchange.setProperty(Headers.OUTCOME, LocalStateQueries.NOT_LOCAL);
    }

    /** Collects each peer's reply on the original exchange; a failed peer is recorded, never rethrown. */
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange result = oldExchange == null ? newExchange : oldExchange;
        @SuppressWarnings("unchecked")
        List<PeerReply> replies = result.getProperty(REPLIES, List.class);
        if (replies == null) {
            replies = Collections.synchronizedList(new ArrayList<>());
            result.setProperty(REPLIES, replies);
        }
        String host = hostOf(newExchange.getProperty(Exchange.RECIPIENT_LIST_ENDPOINT, String.class));
        if (newExchange.getException() == null) {
            Message msg = newExchange.getMessage();
            if (msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) == 200) {
                try {
                    replies.add(new PeerReply(host, EntriesJson.read(msg.getBody(byte[].class)),
                            partitions(msg.getHeader(Headers.PARTITIONS, String.class))));
                } catch (RuntimeException unreadable) {
                    // Counted as missing, like a peer that did not answer.
                }
            }
        }
        forgetFailure(result);
        return result;
    }

    /**
     * A peer that failed was already turned into an error reply by the route's error handler; that must not mark the
     * whole request as handled-and-failed, which would stop the route before the merge.
     */
    private static void forgetFailure(Exchange exchange) {
        exchange.setException(null);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setRouteStop(false);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(Exchange.FAILURE_ENDPOINT);
        exchange.removeProperty(Exchange.FAILURE_ROUTE_ID);
    }

    public void merge(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<PeerReply> peerReplies = exchange.getProperty(REPLIES, List.class);
        List<PeerReply> replies = new ArrayList<>(peerReplies == null ? List.of() : peerReplies);
        replies.add(localPart(exchange));
        @SuppressWarnings("unchecked")
        List<HostInfo> peers = exchange.getProperty(PEERS, List.class);
        Set<String> answered = replies.stream().map(PeerReply::host).collect(Collectors.toSet());
        List<String> missingHosts = peers.stream().map(RecipientPlanner::address).filter(h -> !answered.contains(h)).toList();

        Set<Integer> covered = new TreeSet<>();
        replies.forEach(r -> covered.addAll(r.partitions()));
        @SuppressWarnings("unchecked")
        Set<Integer> missingPartitions = new TreeSet<>(exchange.getProperty(EXPECTED_PARTITIONS, Set.class));
        missingPartitions.removeAll(covered);

        boolean complete = missingHosts.isEmpty() && missingPartitions.isEmpty();
        if (!complete && exchange.getProperty(STRICT, false, Boolean.class)) {
            throw new ApiError(503, "part of the store did not answer and strict=true", 1,
                    Map.of("missingInstances", missingHosts, "missingPartitions", missingPartitions));
        }
        List<KeyValueBean> merged = EntriesJson.merge(replies.stream().map(PeerReply::entries).toList());
        local.reply(exchange, EntriesJson.write(merged), false);
        if (!complete) {
            List<String> missing = new ArrayList<>(missingHosts);
            missingPartitions.forEach(p -> missing.add("partition-" + p));
            exchange.getMessage().setHeader(Headers.MISSING, String.join(",", missing));
        }
    }

    private PeerReply localPart(Exchange exchange) {
        @SuppressWarnings("unchecked")
        CompletableFuture<PeerReply> part = exchange.getProperty(LOCAL_PART, CompletableFuture.class);
        try {
            return part.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ApiError apiError) {
                throw apiError;
            }
            throw new IllegalStateException("reading the local part failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiError(504, "reading this instance's part of the store took too long", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.notReady("interrupted");
        }
    }

    private Set<Integer> expectedPartitions() {
        String inputTopic = local.inputTopic();
        return local.allClients().stream()
                .flatMap(md -> md.topicPartitions().stream())
                .filter(tp -> !tp.topic().equals(inputTopic))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<Integer> partitions(String header) {
        Set<Integer> out = new TreeSet<>();
        if (header != null && !header.isBlank()) {
            for (String p : header.split(",")) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }

    static String join(Set<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String hostOf(String endpointUri) {
        if (endpointUri == null) {
            return "?";
        }
        String s = endpointUri.replaceFirst("^[a-z]+://", "");
        int end = s.indexOf('/') >= 0 ? s.indexOf('/') : s.indexOf('?') >= 0 ? s.indexOf('?') : s.length();
        return s.substring(0, end);
    }
}
