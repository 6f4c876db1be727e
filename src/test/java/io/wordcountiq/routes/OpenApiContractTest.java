package io.wordcountiq.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.wordcountiq.config.WordcountConfiguration;
import io.wordcountiq.http.ApiDocument;
import io.wordcountiq.support.FreshFolder;
import io.wordcountiq.support.Http;
import io.wordcountiq.support.Http.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API's contract (openapi.yaml, GET /openapi.json) against the routes and the running service: a valid OpenAPI
 * document (read by a real parser), naming exactly the paths the routes serve, and every documented operation
 * answering with a documented status and content type.
 */
@CamelMainTest(configurationClasses = WordcountConfiguration.class, properties = {
        "data.dir=target/openapi-test-data", "http.port=18510", "management.port=18511", "routes.reload.interval.ms=0",
        "topic.partitions=2"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {

    private static final String BASE = "http://localhost:18510";

    static {
        FreshFolder.of("target/openapi-test-data");
    }

    @BeanInject
    CamelContext context;

    private OpenAPI api;

    @BeforeEach
    void read() throws IOException {
        if (api != null) {
            return;
        }
        Http.awaitReady(18511);
        assertThat(Http.post(BASE + "/lines", "text/plain", "hello world").status()).isEqualTo(202);
        String text;
        try (InputStream in = ApiDocument.class.getResourceAsStream(ApiDocument.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(parsed.getMessages()).as("a valid OpenAPI 3 document").isEmpty();
        api = parsed.getOpenAPI();
    }

    @Test
    void shouldServeTheContractAsJson() {
        Reply doc = Http.get(BASE + "/openapi.json");

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.header("Content-Type")).isEqualTo("application/json");
        OpenAPI served = new OpenAPIV3Parser().readContents(doc.body(), null, new ParseOptions()).getOpenAPI();
        assertThat(served.getPaths().keySet()).isEqualTo(api.getPaths().keySet());
        assertThat(api.getComponents().getSecuritySchemes()).containsKey("ingestToken");
        assertThat(api.getPaths().get("/lines").getPost().getRequestBody().getContent()).containsKey("text/plain");
    }

    @Test
    void shouldNameExactlyThePathsTheRoutesServe() {
        Set<String> routes = new TreeSet<>(Set.of("GET /ui/", "GET /ui/api/cluster", "GET /ui/api/lookup", "GET /openapi.json"));
        for (RestDefinition rest : ((ModelCamelContext) context).getRestDefinitions()) {
            rest.getVerbs().forEach(verb -> routes.add(verb.asVerb().toUpperCase() + " " + rest.getPath()
                    + (verb.getPath() == null ? "" : verb.getPath())));
        }
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));

        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void shouldAnswerEveryDocumentedOperationWithADocumentedStatusAndType() {
        long now = Instant.now().toEpochMilli();
        Map<String, String> values = Map.of("{store}", "word-count", "{key}", "hello", "{from}", "a", "{to}", "z");
        int checked = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String url = path.getKey();
                for (Map.Entry<String, String> v : values.entrySet()) {
                    url = url.replace(v.getKey(), v.getValue());
                }
                if (path.getKey().startsWith("/state/windowed/")) {
                    url = "/state/windowed/windowed-word-count/hello/" + (now - 3_600_000) + "/" + now;
                }
                if (path.getKey().equals("/ui/api/lookup")) {
                    url += "?key=hello";
                }
                Reply reply = op.getKey() == PathItem.HttpMethod.POST
                        ? Http.post(BASE + url, "text/plain", "hello again")
                        : Http.get(BASE + url);
                ApiResponse documented = op.getValue().getResponses().get(Integer.toString(reply.status()));
                assertThat(documented).as("%s %s answered %d, which the contract does not name: %s", op.getKey(), url,
                        reply.status(), reply.body()).isNotNull();
                if (documented.getContent() != null && !documented.getContent().isEmpty()) {
                    String type = reply.header("Content-Type").split(";")[0].trim();
                    assertThat(documented.getContent()).as("%s %s: %s", op.getKey(), url, type).containsKey(type);
                }
                if (documented.getHeaders() != null) {
                    for (String header : Set.of("X-IQ-Served-By", "X-IQ-Token")) {
                        if (documented.getHeaders().containsKey(header) && reply.status() < 300) {
                            assertThat(reply.header(header)).as("%s %s: %s", op.getKey(), url, header).isNotNull();
                        }
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(12);
    }

    @Test
    void shouldDocumentEveryErrorStatusTheServiceGivesForBadInput() {
        Map<String, Integer> bad = Map.of("/state/keyvalue/word-count/hello?maxLag=x", 400,
                "/state/keyvalue/nosuch/hello", 404, "/state/keyvalue/word-count/" + "x".repeat(300), 414,
                "/state/keyvalues/word-count/all?limit=0", 400);
        bad.forEach((url, status) -> {
            Reply reply = Http.get(BASE + url);
            assertThat(reply.status()).as(url).isEqualTo(status);
            String path = url.startsWith("/state/keyvalues/") ? "/state/keyvalues/{store}/all" : "/state/keyvalue/{store}/{key}";
            assertThat(api.getPaths().get(path).getGet().getResponses()).as(url).containsKey(Integer.toString(status));
        });
    }
}
