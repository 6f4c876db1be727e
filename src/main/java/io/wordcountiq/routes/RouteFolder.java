package io.wordcountiq.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The route files in a folder, and what each holds now. */
final class RouteFolder {

    private final Path dir;

    RouteFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The route files (*.yaml, not hidden), sorted; null when the folder is missing or cannot be listed. */
    List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** A fingerprint of the file's content, or null when it cannot be read. */
    static String hash(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
