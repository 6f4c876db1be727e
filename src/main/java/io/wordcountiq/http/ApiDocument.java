package io.wordcountiq.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The API's contract: src/main/resources/openapi.yaml, written by hand and checked against the routes and the running
 * service by a test (OpenApiContractTest), served as {@code GET /openapi.json} (routes/openapi.camel.yaml).
 */
public final class ApiDocument {

    /** Where the contract is on the class path. */
    public static final String RESOURCE = "/openapi.yaml";

    private final String json;

    public ApiDocument() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            json = new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers the document as JSON. */
    public void serve(Exchange exchange) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setBody(json);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }
}
