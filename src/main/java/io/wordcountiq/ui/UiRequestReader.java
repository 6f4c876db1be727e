package io.wordcountiq.ui;

import io.wordcountiq.http.QueryString;
import io.wordcountiq.http.RequestValidator;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.UiRequest;
import io.wordcountiq.streams.Names;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The first step of every request under /ui (routes/ui.camel.yaml): what it asks for, as a typed {@link UiRequest}.
 * A method other than GET or HEAD is a 405 with Allow, an unknown path a 404, a bad key a 400, all as JSON errors.
 */
public class UiRequestReader {

    public static final String ALLOW = "GET, HEAD";
    static final String PAGE = "/ui/";
    static final String CLUSTER = "/ui/api/cluster";
    static final String LOOKUP = "/ui/api/lookup";

    private final RequestValidator validator;
    private final UiFiles files;

    public UiRequestReader(RequestValidator validator, UiFiles files) {
        this.validator = validator;
        this.files = files;
    }

    public UiRequest classify(Exchange exchange) {
        Message in = exchange.getMessage();
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        return classify(in.getHeader(Exchange.HTTP_METHOD, String.class), in.getHeader(Exchange.HTTP_PATH, String.class),
                query == null || query.isEmpty() ? null : query);
    }

    UiRequest classify(String method, String path, String rawQuery) {
        if (path == null || !(path.equals("/ui") || path.startsWith(PAGE))) {
            throw ApiError.notFound("no such resource; see /openapi.json");
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            throw new ApiError(405, "method " + method + " is not allowed here").withHeader("Allow", ALLOW);
        }
        if (path.equals("/ui")) {
            return new UiRequest.Redirect(PAGE + (rawQuery == null ? "" : "?" + rawQuery));
        }
        if (path.equals(PAGE)) {
            return new UiRequest.StaticFile("index.html");
        }
        if (path.equals(CLUSTER)) {
            return new UiRequest.ClusterView();
        }
        if (path.equals(LOOKUP)) {
            return new UiRequest.Lookup(keyRequest(QueryString.parse(rawQuery).get("key")));
        }
        String name = path.substring(PAGE.length());
        if (name.startsWith("api/") || !files.has(name)) {
            throw ApiError.notFound("no such file of the page: see /ui/");
        }
        return new UiRequest.StaticFile(name);
    }

    /** The lookup of GET /state/keyvalue/word-count/{key}. */
    KeyRequest keyRequest(String key) {
        if (key == null) {
            throw ApiError.badRequest("key is missing: /ui/api/lookup?key=<word>");
        }
        return new KeyRequest(Names.WORD_COUNT_STORE, validator.key(key, "key"));
    }
}
