package io.wordcountiq.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Empties a folder under target/ before a test uses it, so a run never sees data left by an earlier one. */
public final class FreshFolder {

    private FreshFolder() {
    }

    public static Path of(String path) {
        Path dir = Path.of(path);
        if (!dir.toAbsolutePath().normalize().toString().contains("/target/")) {
            throw new IllegalArgumentException("only folders under target/ are emptied: " + path);
        }
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
