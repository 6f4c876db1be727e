package io.wordcountiq.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

final class Jvm {

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String libClasspath() {
        Path lib = Path.of("target", "lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("target/lib is missing: run the integration tests with 'mvn verify'");
        }
        return lib.toAbsolutePath() + File.separator + "*";
    }
}
