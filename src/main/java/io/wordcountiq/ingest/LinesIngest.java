package io.wordcountiq.ingest;

import io.wordcountiq.http.Replies;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.ExchangeProperties;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.IdempotencyKey;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.RequestBody;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.WrittenLines;
import io.wordcountiq.streams.Names;
import io.wordcountiq.streams.WordCountTopology;
import io.wordcountiq.wire.Tokens;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Checks a POST /lines request and turns its body into one record per non-empty line. Ingest is for the cluster's
 * own writers: when INGEST_TOKEN is set it requires {@code Authorization: Bearer <token>}; observers take no lines.
 * Everything that can be decided from the headers is decided before a byte of the body is read ({@link #admit}).
 */
public class LinesIngest {

    /** The first value of a windowed answer: the body hash the key's first attempt was remembered with. */
    private static final Pattern FIRST_VALUE = Pattern.compile("\"value\":(-?\\d+)");
    /** Clock skew between instances allowed for when looking up an Idempotency-Key's first attempt. */
    private static final long SKEW_MS = 60_000;

    private final int maxBodyBytes;
    private final long retentionMs;
    private final int maxKeyLength;
    private final Replies replies;
    private final byte[] token;
    private final boolean observer;
    private final Tokens tokens;

    /** @param retentionMs IDEMPOTENCY_RETENTION_MS: how far back a key's first attempt is looked for */
    public LinesIngest(int maxBodyBytes, int maxKeyLength, Replies replies, Tokens tokens, String ingestToken,
                       boolean observer, long retentionMs) {
        this.retentionMs = retentionMs;
        this.maxBodyBytes = maxBodyBytes;
        this.maxKeyLength = maxKeyLength;
        this.replies = replies;
        this.tokens = tokens;
        this.token = ingestToken.isEmpty() ? null : ("Bearer " + ingestToken).getBytes(StandardCharsets.UTF_8);
        this.observer = observer;
    }

    /** Who may write, in which form, how much: refused here, the body is never read. */
    public void admit(Exchange exchange) {
        Message in = exchange.getMessage();
        if (observer) {
            throw new ApiError(405, "observers serve reads only; POST /lines to a word-count instance")
                    .withHeader("Allow", "");
        }
        if (token != null) {
            String given = in.getHeader("Authorization", String.class);
            if (given == null || !MessageDigest.isEqual(token, given.trim().getBytes(StandardCharsets.UTF_8))) {
                throw new ApiError(401, "POST /lines needs Authorization: Bearer <INGEST_TOKEN>")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"wordcount-iq\"");
            }
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            throw new ApiError(415, "POST /lines takes Content-Type: text/plain, one line per record");
        }
        RequestBody body = in.getBody(RequestBody.class);
        if (body == null) {
            throw ApiError.badRequest("the body is empty; send one or more lines of text");
        }
        if (body.declaredLength() > maxBodyBytes) {
            throw new ApiError(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        String idempotency = in.getHeader(Headers.IDEMPOTENCY_KEY, String.class);
        if (idempotency != null) {
            String key = IdempotencyKey.unquoted(idempotency);
            if (!IdempotencyKey.valid(key)) {
                throw ApiError.badRequest("Idempotency-Key must be 1 to " + IdempotencyKey.MAX_LENGTH
                        + " visible ASCII characters (no quote, no backslash), optionally in double quotes");
            }
            exchange.setProperty(ExchangeProperties.IDEMPOTENCY, key);
        }
    }

    /** Reads the body (asynchronously, within the upload budget) and splits it into the lines to write. */
    public CompletionStage<LinesToWrite> read(Exchange exchange) {
        Message in = exchange.getMessage();
        RequestBody body = in.getBody(RequestBody.class);
        String tokenHeader = in.getHeader(Headers.TOKEN, String.class);
        TraceParent trace = exchange.getProperty(ExchangeProperties.TRACE, TraceParent.class);
        String idempotency = exchange.getProperty(ExchangeProperties.IDEMPOTENCY, String.class);
        return body.read(maxBodyBytes).thenApply(bytes -> new LinesToWrite(lines(bytes), tokens.decode(tokenHeader), trace,
                idempotency == null ? null : new IdempotencyKey(idempotency, bodyHash(bytes))));
    }

    /** The first 8 bytes of the body's SHA-256: same body, same hash, whichever instance reads it. */
    static long bodyHash(byte[] body) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(body)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Before writing a request with an Idempotency-Key: the question for the key's first attempt, as a read of the
     * internal store that remembers it (in the key's input partition, wherever that is; routes/lines.camel.yaml walks
     * to it as any key lookup does). The lines wait in an exchange property meanwhile.
     */
    public WindowRequest firstAttemptQuery(Exchange exchange) {
        LinesToWrite lines = exchange.getMessage().getBody(LinesToWrite.class);
        exchange.setProperty(ExchangeProperties.LINES, lines);
        long now = System.currentTimeMillis();
        return new WindowRequest(Names.IDEMPOTENCY_STORE, lines.idempotency().key(), Math.max(0, now - retentionMs - SKEW_MS),
                now + SKEW_MS, false, ConsistencyToken.NONE, null);
    }

    /**
     * What the key's first attempt says, once known: another body is a 422 (nothing written); the same body is a
     * repeat, written all the same (the topology drops it; its token then covers the first attempt, which lies before it
     * in the same partition) and answered with Idempotent-Replayed. When the first attempt cannot be looked up now, the
     * lines are written: the topology still counts the key once.
     */
    public LinesToWrite checkFirstAttempt(Exchange exchange) {
        LinesToWrite lines = exchange.getProperty(ExchangeProperties.LINES, LinesToWrite.class);
        exchange.removeProperty(ExchangeProperties.LINES);
        Object result = exchange.getMessage().getBody();
        String json = result instanceof QueryResult.Found found ? found.json()
                : result instanceof QueryResult.Relayed relayed && relayed.status() == 200 ? relayed.body() : null;
        Matcher first = json == null ? null : FIRST_VALUE.matcher(json);
        if (first != null && first.find()) {
            if (Long.parseLong(first.group(1)) != lines.idempotency().bodyHash()) {
                throw new ApiError(422, "Idempotency-Key '" + lines.idempotency().key() + "' was used with another "
                        + "body; nothing of this request was written");
            }
            exchange.setProperty(ExchangeProperties.REPEAT, true);
        }
        return lines;
    }

    /**
     * The non-empty lines of a UTF-8 body. A word longer than MAX_KEY_LENGTH could never be asked for by its key, so
     * a line that holds one is refused (400, naming it) and nothing of the request is written.
     */
    List<String> lines(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("the body is empty; send one or more lines of text");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the body is not valid UTF-8");
        }
        List<String> lines = Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw ApiError.badRequest("the body has no non-empty line");
        }
        for (int i = 0; i < lines.size(); i++) {
            for (String word : WordCountTopology.words(lines.get(i))) {
                if (word.length() > maxKeyLength) {
                    throw ApiError.badRequest("line " + (i + 1) + " holds a word of " + word.length()
                            + " characters, longer than MAX_KEY_LENGTH (" + maxKeyLength + "): '"
                            + word.substring(0, 32) + "…'; nothing was written");
                }
            }
        }
        return lines;
    }

    public void accepted(Exchange exchange) {
        WrittenLines written = exchange.getMessage().getBody(WrittenLines.class);
        replies.accepted(exchange, written.count(), written.token());
        if (Boolean.TRUE.equals(exchange.getProperty(ExchangeProperties.REPEAT, Boolean.class))) {
            exchange.getMessage().setHeader(Headers.IDEMPOTENT_REPLAYED, "true");
        }
    }
}
