package io.wordcountiq.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JVM the tests run on, and the broker jars, for the processes they start. */
public final class Jvm {

    private Jvm() {
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static String libClasspath() {
        Path lib = Path.of("target", "lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("target/lib is missing: run the integration tests with 'mvn verify'");
        }
        return lib.toAbsolutePath() + File.separator + "*";
    }
}
