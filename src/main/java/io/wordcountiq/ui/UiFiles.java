package io.wordcountiq.ui;

import io.wordcountiq.model.UiRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The page's static files, served from the class path folder {@code ui/} (plain HTML, CSS and JavaScript: no build,
 * nothing fetched from elsewhere), and the headers every answer under /ui carries. Only names made of plain path
 * segments with a known type are served: no "..", no hidden files, nothing outside {@code ui/}.
 */
public class UiFiles {

    /** Where the files are on the class path. */
    static final String FOLDER = "ui/";

    /** The page loads its own script, style and data only; it cannot be framed, and forms post back here only. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Segments of letters, digits, '_', '-' and '.', none starting with a dot. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}){0,3}");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public UiFiles() {
        this(UiFiles.class.getClassLoader());
    }

    UiFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The Content-Type of a file name, or null when the name is not safe or its type is not served. */
    static String contentType(String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot < name.lastIndexOf('/') ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether the page has a file of that name (a safe name of a served type, present under ui/). */
    public boolean has(String name) {
        return read(name).isPresent();
    }

    /** The bytes of a file under ui/, read once; empty for a name that is not safe, not served or not there. */
    Optional<byte[]> read(String name) {
        if (contentType(name) == null) {
            return Optional.empty();
        }
        byte[] cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        URL url = loader.getResource(FOLDER + name);
        if (url == null || (url.getProtocol().equals("file") && !new java.io.File(url.getPath()).isFile())) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            cache.put(name, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers a file of the page, or the way to the page (a redirect). */
    public void serve(Exchange exchange) {
        UiRequest request = exchange.getMessage().getBody(UiRequest.class);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        if (request instanceof UiRequest.Redirect redirect) {
            out.setBody(ByteBuffer.allocate(0));
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 301);
            out.setHeader("Location", redirect.location());
            return;
        }
        String name = ((UiRequest.StaticFile) request).name();
        byte[] bytes = read(name).orElseThrow(() -> io.wordcountiq.model.ApiError.notFound("no such file"));
        // A ByteBuffer goes to the client whole, with its Content-Length.
        out.setBody(ByteBuffer.wrap(bytes));
        out.setHeader(Exchange.CONTENT_TYPE, contentType(name));
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }

    /**
     * The headers of every answer under /ui, errors included: the content security policy, no content-type
     * sniffing, and no use of a cached copy without asking again (the page and its data change with every release
     * and every refresh).
     */
    public void secure(Exchange exchange) {
        Message out = exchange.getMessage();
        out.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Cache-Control", "no-cache");
    }
}
