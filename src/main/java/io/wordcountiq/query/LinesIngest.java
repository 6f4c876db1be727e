package io.wordcountiq.query;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import io.wordcountiq.model.ApiError;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Checks a POST /lines body and turns it into one record per non-empty line. */
public class LinesIngest {

    private final int maxBodyBytes;
    private final Replies replies;

    public LinesIngest(int maxBodyBytes, Replies replies) {
        this.maxBodyBytes = maxBodyBytes;
        this.replies = replies;
    }

    public List<String> split(Exchange exchange) {
        Message in = exchange.getMessage();
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
        return lines;
    }

    public void accepted(Exchange exchange) {
        replies.accepted(exchange, exchange.getMessage().getBody(List.class).size());
    }
}
