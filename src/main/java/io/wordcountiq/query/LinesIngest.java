package io.wordcountiq.query;

import java.nio.charset.CharacterCodingException;
import java.security.MessageDigest;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Headers;
import io.wordcountiq.model.LinesToWrite;
import io.wordcountiq.model.TraceParent;
import io.wordcountiq.model.WrittenLines;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Checks a POST /lines request and turns its body into one record per non-empty line. Ingest is for the cluster's
 * own writers: when INGEST_TOKEN is set it requires {@code Authorization: Bearer <token>}; observers take no lines.
 */
public class LinesIngest {

    private final int maxBodyBytes;
    private final Replies replies;
    private final byte[] token;
    private final boolean observer;
    private final Tokens tokens;

    public LinesIngest(int maxBodyBytes, Replies replies, Tokens tokens, String ingestToken, boolean observer) {
        this.maxBodyBytes = maxBodyBytes;
        this.replies = replies;
        this.tokens = tokens;
        this.token = ingestToken.isEmpty() ? null : ("Bearer " + ingestToken).getBytes(StandardCharsets.UTF_8);
        this.observer = observer;
    }

    public LinesToWrite split(Exchange exchange) {
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
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw ApiError.badRequest("the body is empty; send one or more lines of text");
        }
        if (body.length > maxBodyBytes) {
            throw new ApiError(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the body is not valid UTF-8");
        }
        List<String> lines = Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw ApiError.badRequest("the body has no non-empty line");
        }
        return new LinesToWrite(lines, tokens.decode(in.getHeader(Headers.TOKEN, String.class)),
                exchange.getProperty(Headers.TRACE, TraceParent.class));
    }

    public void accepted(Exchange exchange) {
        WrittenLines written = exchange.getMessage().getBody(WrittenLines.class);
        replies.accepted(exchange, written.count(), written.token());
    }
}
