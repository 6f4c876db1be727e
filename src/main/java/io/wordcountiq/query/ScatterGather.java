package io.wordcountiq.query;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decisions of the whole-store route (routes/keyvalues.camel.yaml): "all" and range ask every instance hosting the
 * store in parallel, each in local-only mode, and merge. A partial answer says so in X-IQ-Missing.
 */
public class ScatterGather implements AggregationStrategy {

    public static final String RECIPIENTS = "iqRecipients";
    static final String LOCAL_PART = "iqLocalPart";
    static final String PEERS = "iqPeers";
    static final String REPLIES = "iqReplies";

    private static final TypeReference<List<KeyValueBean>> ENTRIES = new TypeReference<>() {
    };

    record PeerReply(String host, int status, List<KeyValueBean> entries, Set<Integer> partitions) {
    }

    private final LocalStateQueries local;
    private final ForwardMarker marker;
    private final String scheme;

    public ScatterGather(LocalStateQueries local, ForwardMarker marker, String scheme) {
        this.local = local;
        this.marker = marker;
        this.scheme = scheme;
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
        String store = in.getHeader("store", String.class);
        boolean strict = "true".equalsIgnoreCase(in.getHeader("strict", String.class));
        List<KeyValueBean> mine = local.localRange(exchange, from, to);
        if (local.isObserver()) {
            local.reply(exchange, Json.write(mine), false);
            return;
        }
        Set<Integer> myPartitions = local.localActivePartitions(store);
        if (local.isForwarded(exchange)) {
            local.reply(exchange, Json.write(mine), false);
            exchange.getMessage().setHeader(Headers.PARTITIONS, join(myPartitions));
            return;
        }
        List<HostInfo> peers = local.hostsOf(store).stream()
                .map(StreamsMetadata::hostInfo)
                .filter(h -> !h.equals(local.selfHost()) && RecipientPlanner.usable(h))
                .distinct()
                .toList();
        exchange.setProperty(LOCAL_PART, new PeerReply(local.self(), 200, mine, myPartitions));
        exchange.setProperty(PEERS, peers);
        exchange.setProperty("iqStrict", strict);
        exchange.setProperty("iqExpectedPartitions", expectedPartitions(store));
        exchange.setProperty(RECIPIENTS, peers.stream()
                .map(h -> scheme + "://" + h.host() + ":" + h.port() + "?throwExceptionOnFailure=false&httpMethod=GET")
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
        String endpoint = newExchange.getProperty(Exchange.RECIPIENT_LIST_ENDPOINT, String.class);
        String host = hostOf(endpoint);
        if (newExchange.getException() == null) {
            Message msg = newExchange.getMessage();
            int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status == 200) {
                replies.add(new PeerReply(host, status, parse(msg.getBody()), partitions(msg.getHeader(Headers.PARTITIONS, String.class))));
            }
        }
        result.setException(null);
        return result;
    }

    public void merge(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<PeerReply> replies = new ArrayList<>(exchange.getProperty(REPLIES, List.class) == null
                ? List.of() : exchange.getProperty(REPLIES, List.class));
        replies.add(exchange.getProperty(LOCAL_PART, PeerReply.class));
        @SuppressWarnings("unchecked")
        List<HostInfo> peers = exchange.getProperty(PEERS, List.class);
        Set<String> answered = replies.stream().map(PeerReply::host).collect(Collectors.toSet());
        List<String> missingHosts = peers.stream().map(RecipientPlanner::address).filter(h -> !answered.contains(h)).toList();

        Map<String, Long> merged = new TreeMap<>();
        Set<Integer> covered = new TreeSet<>();
        for (PeerReply reply : replies) {
            reply.entries().forEach(e -> merged.merge(e.key(), e.value(), Math::max));
            covered.addAll(reply.partitions());
        }
        @SuppressWarnings("unchecked")
        Set<Integer> missingPartitions = new TreeSet<>(exchange.getProperty("iqExpectedPartitions", Set.class));
        missingPartitions.removeAll(covered);

        boolean complete = missingHosts.isEmpty() && missingPartitions.isEmpty();
        if (!complete && exchange.getProperty("iqStrict", false, Boolean.class)) {
            throw new ApiError(503, "part of the store did not answer and strict=true", 1,
                    Map.of("missingInstances", missingHosts, "missingPartitions", missingPartitions));
        }
        List<KeyValueBean> body = merged.entrySet().stream().map(e -> new KeyValueBean(e.getKey(), e.getValue())).toList();
        local.reply(exchange, Json.write(body), false);
        if (!complete) {
            List<String> missing = new ArrayList<>(missingHosts);
            missingPartitions.forEach(p -> missing.add("partition-" + p));
            exchange.getMessage().setHeader(Headers.MISSING, String.join(",", missing));
        }
    }

    private Set<Integer> expectedPartitions(String store) {
        String inputTopic = local.inputTopic();
        return local.allClients().stream()
                .flatMap(md -> md.topicPartitions().stream())
                .filter(tp -> !tp.topic().equals(inputTopic))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<KeyValueBean> parse(Object body) {
        try {
            if (body instanceof InputStream in) {
                try (in) {
                    return Json.MAPPER.readValue(in, ENTRIES);
                }
            }
            if (body instanceof byte[] b) {
                return Json.MAPPER.readValue(b, ENTRIES);
            }
            return Json.MAPPER.readValue(String.valueOf(body), ENTRIES);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable reply from a peer", e);
        }
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
