package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.Gather;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Decisions of the whole-store routes (routes/whole-store, routes/scatter-gather): "all" and range ask every other
 * instance hosting the store in parallel, each in local-only mode, while this instance reads its own part; then the
 * sorted parts are merged. A partial answer says so in X-IQ-Missing.
 *
 * <p>As the recipient list's aggregation strategy it only collects parts: a peer that failed is left out and shows
 * up as missing. The scatter-gather route has no error handler, so a failed peer never becomes an error reply.
 */
public class ScatterGather implements AggregationStrategy {

    private final StoreMetadata metadata;
    private final LocalReads localReads;
    private final ForwardMarker marker;
    private final String scheme;
    private final long timeoutMs;
    /** Whole-store requests of clients at once; beyond it the answer is 503. */
    private final Semaphore gathers;
    /** Parts read for peers at once; beyond it the peer counts this part as missing. */
    private final Semaphore parts;
    private final ExecutorService localPartReads;

    public ScatterGather(StoreMetadata metadata, LocalReads localReads, ForwardMarker marker, String scheme,
                         long timeoutMs, int concurrency) {
        this.metadata = metadata;
        this.localReads = localReads;
        this.marker = marker;
        this.scheme = scheme;
        this.timeoutMs = timeoutMs;
        this.gathers = new Semaphore(concurrency);
        this.parts = new Semaphore(concurrency);
        this.localPartReads = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(concurrency), r -> {
                    Thread t = new Thread(r, "scatter-gather-local");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * An observer, or a peer asked for its part, answers from local state; anyone else plans a {@link Gather} and
     * starts reading its own part while the peers are asked. At most WHOLE_STORE_CONCURRENCY of each run at once.
     */
    public QueryResult plan(Exchange exchange) {
        RangeRequest request = exchange.getMessage().getBody(RangeRequest.class);
        if (metadata.isObserver()) {
            return Found.of(EntriesJson.write(localReads.globalRange(request)));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        if (request.localOnly()) {
            if (!parts.tryAcquire()) {
                return new Unavailable("too many whole-store reads at once; retry shortly");
            }
            try {
                LocalReads.Part part = localReads.range(request, deadline);
                return new Found(EntriesJson.write(part.entries()), null, null, part.partitions());
            } finally {
                parts.release();
            }
        }
        if (!gathers.tryAcquire()) {
            return new QueryResult.Failed(new ApiError(503, "too many whole-store requests at once; retry shortly", 1));
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                gathers.release();
            }
        });
        List<HostInfo> peers = metadata.peersOf(request.store());
        Set<Integer> expected = metadata.allActivePartitions();
        CompletableFuture<StorePart> localPart;
        try {
            localPart = CompletableFuture.supplyAsync(() -> {
                LocalReads.Part part = localReads.range(request, deadline);
                return new StorePart(metadata.self(), part.entries(), part.partitions());
            }, localPartReads);
        } catch (RejectedExecutionException e) {
            return new QueryResult.Failed(new ApiError(503, "too many whole-store requests at once; retry shortly", 1));
        }
        List<String> recipients = peers.stream()
                .map(h -> scheme + "://" + RecipientPlanner.address(h) + "?throwExceptionOnFailure=false&httpMethod=GET")
                .toList();
        return new Gather(request, peers, recipients, expected, localPart);
    }

    /** Keeps the plan aside and turns the message into the request every peer gets: the same path, marked forwarded. */
    public void ask(Exchange exchange) {
        Message in = exchange.getMessage();
        Gather gather = in.getBody(Gather.class);
        exchange.setProperty(Headers.GATHER, gather);
        in.removeHeaders("*");
        in.setBody(null);
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, gather.request().path());
        if (gather.request().query() != null) {
            in.setHeader(Exchange.HTTP_QUERY, gather.request().query());
        }
        in.setHeader(Headers.FORWARDED, marker.sign("GET", gather.request().path(), gather.request().query(),
                System.currentTimeMillis()));
    }

    /** Collects each peer's part into the plan; a failed or unreadable reply is left out (it counts as missing). */
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Gather gather = newExchange.getProperty(Headers.GATHER, Gather.class);
        String host = hostOf(newExchange.getProperty(Exchange.RECIPIENT_LIST_ENDPOINT, String.class));
        Message msg = newExchange.getMessage();
        if (newExchange.getException() == null && msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) == 200) {
            try {
                gather.peerParts().add(new StorePart(host, EntriesJson.read(msg.getBody(byte[].class)),
                        partitions(msg.getHeader(Headers.PARTITIONS, String.class))));
            } catch (RuntimeException unreadable) {
                // Counted as missing, like a peer that did not answer.
            }
        }
        // The failure, if any, is recorded by its absence; it must not become the whole request's failure.
        newExchange.setException(null);
        return oldExchange == null ? newExchange : oldExchange;
    }

    /** Merges every part into one sorted answer, or refuses a partial one when the client asked for strict. */
    public QueryResult merge(Exchange exchange) {
        Gather gather = exchange.getProperty(Headers.GATHER, Gather.class);
        List<StorePart> parts = new ArrayList<>(gather.peerParts());
        parts.add(localPart(gather));
        Set<String> answered = parts.stream().map(StorePart::host).collect(Collectors.toSet());
        List<String> missingHosts = gather.peers().stream().map(RecipientPlanner::address)
                .filter(h -> !answered.contains(h)).toList();
        Set<Integer> missingPartitions = new TreeSet<>(gather.expectedPartitions());
        parts.forEach(p -> missingPartitions.removeAll(p.partitions()));

        boolean complete = missingHosts.isEmpty() && missingPartitions.isEmpty();
        if (!complete && gather.request().strict()) {
            return new QueryResult.Failed(new ApiError(503, "part of the store did not answer and strict=true", 1,
                    Map.of("missingInstances", missingHosts, "missingPartitions", missingPartitions)));
        }
        List<KeyValueBean> merged = EntriesJson.merge(parts.stream().map(StorePart::entries).toList());
        List<String> missing = new ArrayList<>(missingHosts);
        missingPartitions.forEach(p -> missing.add("partition-" + p));
        return new Found(EntriesJson.write(merged), null, complete ? null : missing, null);
    }

    private StorePart localPart(Gather gather) {
        try {
            return gather.localPart().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ApiError apiError) {
                throw apiError;
            }
            if (e.getCause() instanceof CancellationException) {
                throw new ApiError(504, "reading this instance's part of the store took too long", 1);
            }
            throw new IllegalStateException("reading the local part failed", e.getCause());
        } catch (TimeoutException e) {
            gather.localPart().cancel(true);
            throw new ApiError(504, "reading this instance's part of the store took too long", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.notReady("interrupted");
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
