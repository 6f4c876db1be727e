package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.RequestBody;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.WrittenLines;
import io.wordcountiq.streams.WordCountTopology;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Checks a POST /lines request and turns its body into one record per non-empty line. Ingest is for the cluster's
 * own writers: when INGEST_TOKEN is set it requires {@code Authorization: Bearer <token>}; observers take no lines.
 * Everything that can be decided from the headers is decided before a byte of the body is read ({@link #admit}).
 */
public class LinesIngest {

    private final int maxBodyBytes;
    private final int maxKeyLength;
    private final Replies replies;
    private final byte[] token;
    private final boolean observer;
    private final Tokens tokens;

    public LinesIngest(int maxBodyBytes, int maxKeyLength, Replies replies, Tokens tokens, String ingestToken,
                       boolean observer) {
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
    }

    /** Reads the body (asynchronously, within the upload budget) and splits it into the lines to write. */
    public CompletionStage<LinesToWrite> read(Exchange exchange) {
        Message in = exchange.getMessage();
        RequestBody body = in.getBody(RequestBody.class);
        String tokenHeader = in.getHeader(Headers.TOKEN, String.class);
        TraceParent trace = exchange.getProperty(Headers.TRACE, TraceParent.class);
        return body.read(maxBodyBytes).thenApply(bytes -> new LinesToWrite(lines(bytes), tokens.decode(tokenHeader), trace));
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
    }
}
