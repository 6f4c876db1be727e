package io.wordcountiq.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import io.wordcountiq.threading.RouteThreading;
import java.util.HashMap;
import java.util.function.Consumer;
import org.apache.camel.model.ModelCamelContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads route files that change on disk while the service runs. It compares file contents, not file events,
 * so it also sees a Kubernetes ConfigMap update (an atomic swap of the "..data" symlink) and an atomic mv.
 * A file that is empty, does not parse, or would block an event loop ({@link RouteThreading}) keeps the routes it had;
 * each route is swapped by id, and a request that meets a direct: route being swapped is run again by the HTTP
 * server, so requests keep being served across a reload.
 *
 * <p>A reload never empties a running service: a folder that is missing, cannot be listed or holds no route file
 * at all (a volume being remounted, a bad ConfigMap) keeps every running route. Only a file removed from a folder
 * that still holds route files takes its routes with it.
 */
public class RoutesDirectoryWatcher extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesDirectoryWatcher.class);

    private static final long RELOAD_STOP_TIMEOUT_MS = 1500;

    private final CamelContext context;
    private final RouteFolder folder;
    private final long intervalMs;
    private final RouteThreading threading;
    private final Consumer<Boolean> swapping;
    private final RouteFileVersions versions = new RouteFileVersions();
    private final Map<Path, Set<String>> routeIds = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong scans = new java.util.concurrent.atomic.AtomicLong();
    private volatile String folderProblem;
    private ScheduledExecutorService scheduler;

    /**
     * @param threading checks that no route declared to run on the event loop would block it, and decides which HTTP
     *                  routes run there, after every reload
     * @param swapping  told true while a file's routes are swapped, false after
     */
    public RoutesDirectoryWatcher(CamelContext context, Path dir, long intervalMs, RouteThreading threading,
                                  Consumer<Boolean> swapping) {
        this.context = context;
        this.folder = new RouteFolder(dir);
        this.intervalMs = intervalMs;
        this.threading = threading;
        this.swapping = swapping;
    }

    @Override
    protected void doStart() {
        List<Path> files = folder.files();
        if (files == null) {
            files = List.of();
        }
        for (Path file : files) {
            versions.loaded(file, RouteFolder.hash(file));
        }
        List<Path> known = files;
        context.getRoutes().forEach(r -> {
            String source = r.getSourceLocation();
            known.stream()
                    .filter(f -> source != null && source.contains(f.getFileName().toString()))
                    .findFirst()
                    .ifPresent(f -> routeIds.computeIfAbsent(f, k -> new java.util.HashSet<>()).add(r.getRouteId()));
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routes-reload");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::scan, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for route changes every {} ms", folder.dir().toAbsolutePath(), intervalMs);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    synchronized void scan() {
        try {
            List<Path> files = folder.files();
            if (files == null || files.isEmpty()) {
                String problem = files == null ? "is missing or cannot be listed" : "holds no route file";
                if (!problem.equals(folderProblem)) {
                    LOG.warn("Routes folder {} {}: keeping every running route", folder.dir().toAbsolutePath(), problem);
                    folderProblem = problem;
                }
                return;
            }
            if (folderProblem != null) {
                LOG.info("Routes folder {} is back", folder.dir().toAbsolutePath());
                folderProblem = null;
            }
            for (Path file : files) {
                String hash = RouteFolder.hash(file);
                if (versions.worthTrying(file, hash)) {
                    reload(file, hash);
                }
            }
            for (Path gone : versions.gone(files)) {
                removeRoutesOf(gone);
            }
        } catch (RuntimeException e) {
            LOG.error("Route reload scan failed: {}", e.toString());
        } finally {
            scans.incrementAndGet();
        }
    }

    /** Scans completed so far; a test waits for the next one to know a change was seen. */
    public long completedScans() {
        return scans.get();
    }

    /** True when the file's current content was tried and refused (it does not load), so the old routes stay. */
    public synchronized boolean refused(Path file) {
        return refusal(file) != null;
    }

    /** Why the file's current content was refused, or null when it was not. */
    public synchronized String refusal(Path file) {
        return versions.refusal(file, RouteFolder.hash(file));
    }

    private void reload(Path file, String hash) {
        try {
            if (Files.size(file) == 0) {
                return;
            }
            Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
            RoutesLoader loader = PluginHelper.getRoutesLoader(context);
            List<String> blocking = threading.check(ReloadCandidates.merge(
                    ((ModelCamelContext) context).getRouteDefinitions(), routeIds.getOrDefault(file, Set.of()),
                    ReloadCandidates.read(context, loader, resource)));
            if (!blocking.isEmpty()) {
                versions.refused(file, hash, blocking.get(0));
                for (String line : blocking) {
                    LOG.error("Keeping the previous routes of {}: {}", file.getFileName(), line);
                }
                return;
            }
            Set<String> ids;
            // The old route stops gracefully, which under load can wait long for zero in-flight exchanges. Bound it:
            // an exchange still running on the old route after that is refused and retried (routes/errors).
            var shutdown = context.getShutdownStrategy();
            long timeout = shutdown.getTimeout();
            java.util.concurrent.TimeUnit unit = shutdown.getTimeUnit();
            shutdown.setTimeout(RELOAD_STOP_TIMEOUT_MS);
            shutdown.setTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
            swapping.accept(true);
            try {
                ids = loader.updateRoutes(List.of(resource));
            } finally {
                swapping.accept(false);
                shutdown.setTimeout(timeout);
                shutdown.setTimeUnit(unit);
            }
            Set<String> previous = routeIds.getOrDefault(file, Set.of());
            for (String stale : previous) {
                if (!ids.contains(stale) && context.getRoute(stale) != null) {
                    context.getRouteController().stopRoute(stale);
                    context.removeRoute(stale);
                }
            }
            routeIds.put(file, ids);
            versions.loaded(file, hash);
            threading.decide(((ModelCamelContext) context).getRouteDefinitions());
            LOG.info("Reloaded routes {} from {}", ids, file.getFileName());
        } catch (Exception e) {
            versions.refused(file, hash, String.valueOf(e.getMessage()));
            LOG.error("Keeping the previous routes of {}: the new version does not load: {}", file.getFileName(),
                    e.getMessage());
        }
    }

    private void removeRoutesOf(Path file) {
        for (String id : routeIds.getOrDefault(file, Set.of())) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Could not remove route {} of deleted file {}: {}", id, file.getFileName(), e.toString());
            }
        }
        LOG.info("Removed routes {} of deleted file {}", routeIds.get(file), file.getFileName());
        routeIds.remove(file);
        versions.forget(file);
    }
}
