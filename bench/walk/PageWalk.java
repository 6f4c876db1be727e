import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.wordcountiq.model.KeyOrder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks a store page by page, as a client would: GET the first page, then follow Link: <...>; rel="next" until a
 * page has none. Checks that the walk returned exactly EXPECTED keys, each strictly after the one before in the
 * stores' key order (io.wordcountiq.model.KeyOrder), so no key is repeated or missed; that every page but the last
 * holds exactly LIMIT entries; and that every page answered 200 (a 503 is retried after its Retry-After, at most
 * 5 times a page, and counted). Prints one line:
 *   RESULT keys=N pages=P ms=T p50_us=.. p99_us=.. max_us=.. retries=R
 * and exits 0, or prints "WALK FAILED: why" on stderr and exits 2.
 *
 * Run (from the repository root, after mvn package):
 *   java -cp "target/classes:target/lib/*" bench/walk/PageWalk.java http://localhost:8080 \
 *       "/state/keyvalues/word-count/all?limit=1000" EXPECTED LIMIT
 */
public class PageWalk {

    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String path = args[1];
        long expected = Long.parseLong(args[2]);
        int limit = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        JsonFactory json = new JsonFactory();
        long[] pageNanos = new long[(int) (expected / Math.max(1, limit)) + 2];
        int pages = 0;
        long keys = 0;
        int retries = 0;
        String last = null;
        long start = System.nanoTime();
        while (path != null) {
            HttpResponse<byte[]> r = null;
            long t0 = 0;
            for (int attempt = 0; attempt <= 5; attempt++) {
                t0 = System.nanoTime();
                r = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 503) {
                    break;
                }
                retries++;
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
            }
            long took = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                fail("page " + (pages + 1) + " (" + path + ") answered " + r.statusCode() + ": "
                        + new String(r.body(), 0, Math.min(300, r.body().length)));
            }
            int inPage = 0;
            try (JsonParser p = json.createParser(r.body())) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    fail("page " + (pages + 1) + " is not a JSON array");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String key = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        if ("key".equals(field)) {
                            key = p.getText();
                        }
                    }
                    if (key == null) {
                        fail("an entry without a key on page " + (pages + 1));
                    }
                    if (last != null && KeyOrder.compare(last, key) >= 0) {
                        fail("key '" + key + "' on page " + (pages + 1) + " does not come after '" + last + "'"
                                + (last.equals(key) ? " (a repeat)" : " (out of order)"));
                    }
                    last = key;
                    inPage++;
                }
            }
            if (pages == pageNanos.length) {
                pageNanos = Arrays.copyOf(pageNanos, pages * 2);
            }
            pageNanos[pages++] = took;
            keys += inPage;
            path = r.headers().allValues("Link").stream().map(NEXT::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst().orElse(null);
            if (path != null && inPage != limit) {
                fail("page " + pages + " holds " + inPage + " entries but is not the last (limit " + limit + ")");
            }
            if (keys > expected) {
                fail("more than the " + expected + " keys expected after page " + pages);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (keys != expected) {
            fail("the walk returned " + keys + " keys in " + pages + " pages, expected " + expected);
        }
        long[] sorted = Arrays.copyOf(pageNanos, pages);
        Arrays.sort(sorted);
        System.out.printf("RESULT keys=%d pages=%d ms=%d p50_us=%d p99_us=%d max_us=%d retries=%d%n", keys, pages, ms,
                sorted[(pages - 1) / 2] / 1000, sorted[(int) Math.ceil(pages * 0.99) - 1] / 1000,
                sorted[pages - 1] / 1000, retries);
    }

    private static void fail(String why) {
        System.err.println("WALK FAILED: " + why);
        System.exit(2);
    }
}
