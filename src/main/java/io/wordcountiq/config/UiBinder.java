package io.wordcountiq.config;

import io.wordcountiq.http.ApiDocument;
import io.wordcountiq.model.UiRequest;
import io.wordcountiq.ui.ClusterSteps;
import io.wordcountiq.ui.LookupTrace;
import io.wordcountiq.ui.UiFiles;
import io.wordcountiq.ui.UiRequestReader;
import org.apache.camel.spi.Registry;

/** The page at /ui/ (routes/ui.camel.yaml) and the API document it links. */
final class UiBinder {

    private UiBinder() {
    }

    static void bind(Registry registry, SharedBeans shared, ClusterBinder.Cluster cluster) {
        registry.bind("apiDocument", new ApiDocument());
        UiFiles uiFiles = new UiFiles();
        registry.bind("uiFiles", uiFiles);
        registry.bind("uiRequests", new UiRequestReader(shared.validator(), uiFiles));
        registry.bind("clusterSteps", new ClusterSteps(shared.metadata(), shared.replies(),
                shared.settings().uiObservers(), cluster.health()));
        registry.bind("lookupTrace", new LookupTrace(shared.metadata(), cluster.instances()));
        registry.bind("uiClusterView", BodyIs.of(UiRequest.ClusterView.class));
        registry.bind("uiLookup", BodyIs.of(UiRequest.Lookup.class));
    }
}
