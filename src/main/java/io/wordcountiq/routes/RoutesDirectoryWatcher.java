package io.wordcountiq.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.wordcountiq.threading.RouteThreading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.function.Consumer;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    private final Path dir;
    private final long intervalMs;
    private final RouteThreading threading;
    private final Consumer<Boolean> swapping;
    private final Map<Path, String> loadedHashes = new HashMap<>();
    private final Map<Path, String> rejectedHashes = new HashMap<>();
    private final Map<Path, String> refusals = new HashMap<>();
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
        this.dir = dir;
        this.intervalMs = intervalMs;
        this.threading = threading;
        this.swapping = swapping;
    }

    @Override
    protected void doStart() {
        List<Path> files = routeFiles();
        if (files == null) {
            files = List.of();
        }
        for (Path file : files) {
            loadedHashes.put(file, hash(file));
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
        LOG.info("Watching {} for route changes every {} ms", dir.toAbsolutePath(), intervalMs);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    synchronized void scan() {
        try {
            List<Path> files = routeFiles();
            if (files == null || files.isEmpty()) {
                String problem = files == null ? "is missing or cannot be listed" : "holds no route file";
                if (!problem.equals(folderProblem)) {
                    LOG.warn("Routes folder {} {}: keeping every running route", dir.toAbsolutePath(), problem);
                    folderProblem = problem;
                }
                return;
            }
            if (folderProblem != null) {
                LOG.info("Routes folder {} is back", dir.toAbsolutePath());
                folderProblem = null;
            }
            for (Path file : files) {
                String hash = hash(file);
                if (hash == null || hash.equals(loadedHashes.get(file)) || hash.equals(rejectedHashes.get(file))) {
                    continue;
                }
                reload(file, hash);
            }
            for (Path gone : loadedHashes.keySet().stream().filter(f -> !files.contains(f)).toList()) {
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
        String hash = hash(file);
        return hash != null && hash.equals(rejectedHashes.get(file));
    }

    /** Why the file's current content was refused, or null when it was not. */
    public synchronized String refusal(Path file) {
        return refused(file) ? refusals.get(file) : null;
    }

    private void reload(Path file, String hash) {
        try {
            if (Files.size(file) == 0) {
                return;
            }
            Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
            RoutesLoader loader = PluginHelper.getRoutesLoader(context);
            List<String> blocking = threading.check(candidates(loader, resource, routeIds.getOrDefault(file, Set.of())));
            if (!blocking.isEmpty()) {
                rejectedHashes.put(file, hash);
                refusals.put(file, blocking.get(0));
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
            loadedHashes.put(file, hash);
            rejectedHashes.remove(file);
            threading.decide(((ModelCamelContext) context).getRouteDefinitions());
            LOG.info("Reloaded routes {} from {}", ids, file.getFileName());
        } catch (Exception e) {
            rejectedHashes.put(file, hash);
            refusals.put(file, String.valueOf(e.getMessage()));
            LOG.error("Keeping the previous routes of {}: the new version does not load: {}", file.getFileName(),
                    e.getMessage());
        }
    }

    /**
     * Every route the context would run with this file's new version: the running ones, less those the file held,
     * plus the file's new ones (read, not added).
     */
    private List<RouteDefinition> candidates(RoutesLoader loader, Resource resource, Set<String> previous)
            throws Exception {
        List<RouteDefinition> routes = new ArrayList<>();
        for (RouteDefinition running : ((ModelCamelContext) context).getRouteDefinitions()) {
            if (!previous.contains(running.getRouteId())) {
                routes.add(running);
            }
        }
        Set<String> replaced = new HashSet<>();
        List<RouteDefinition> added = new ArrayList<>();
        for (RoutesBuilder builder : loader.findRoutesBuilders(resource)) {
            if (builder instanceof RouteBuilder routeBuilder) {
                for (RouteDefinition route : routeBuilder.configureRoutes(context).getRoutes()) {
                    added.add(route);
                    replaced.add(route.getRouteId());
                }
            }
        }
        routes.removeIf(r -> replaced.contains(r.getRouteId()));
        routes.addAll(added);
        return routes;
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
        loadedHashes.remove(file);
        rejectedHashes.remove(file);
    }

    /** The route files in the folder, or null when the folder is missing or cannot be listed. */
    private List<Path> routeFiles() {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static String hash(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
