package io.wordcountiq.routes;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which version of each route file is loaded and which was refused: a version is tried once, so a file that does not
 * load is not tried again until its content changes.
 */
final class RouteFileVersions {

    private final Map<Path, String> loaded = new HashMap<>();
    private final Map<Path, String> rejected = new HashMap<>();
    private final Map<Path, String> refusals = new HashMap<>();

    /** Whether this content of the file is new: neither the one loaded nor one already refused. */
    boolean worthTrying(Path file, String hash) {
        return hash != null && !hash.equals(loaded.get(file)) && !hash.equals(rejected.get(file));
    }

    void loaded(Path file, String hash) {
        loaded.put(file, hash);
        rejected.remove(file);
    }

    void refused(Path file, String hash, String why) {
        rejected.put(file, hash);
        refusals.put(file, why);
    }

    /** Why this content of the file was refused, or null when it was not. */
    String refusal(Path file, String hash) {
        return hash != null && hash.equals(rejected.get(file)) ? refusals.get(file) : null;
    }

    /** The loaded files that are no longer among these. */
    List<Path> gone(List<Path> present) {
        return loaded.keySet().stream().filter(f -> !present.contains(f)).toList();
    }

    void forget(Path file) {
        loaded.remove(file);
        rejected.remove(file);
    }
}
