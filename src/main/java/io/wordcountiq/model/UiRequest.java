package io.wordcountiq.model;

/**
 * What a request under /ui asks for (routes/ui.camel.yaml branches on the type): one of the page's files, the way to
 * the page, the cluster as its instances describe themselves, or a key lookup that shows its path.
 */
public sealed interface UiRequest {

    /** One static file of the page, by its name under the class path folder ui/ (already checked safe). */
    record StaticFile(String name) implements UiRequest {
    }

    /** /ui without its slash: the page is at /ui/ (its relative links need the slash); the query goes along. */
    record Redirect(String location) implements UiRequest {
    }

    /** {@code GET /ui/api/cluster}: every instance and configured observer, as each describes itself. */
    record ClusterView() implements UiRequest {
    }

    /** {@code GET /ui/api/lookup?key=w}: the count of a word, looked up as GET /state/keyvalue/word-count/{key} is. */
    record Lookup(StoreRequest.KeyRequest request) implements UiRequest {
    }
}
