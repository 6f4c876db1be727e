package io.wordcountiq.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The few facts of the image's final stage that the manifests depend on. */
record Dockerfile(String workdir, Set<Integer> exposedPorts, List<String> entrypoint, String user,
                  List<Copy> copies) {

    record Copy(List<String> sources, String destination, boolean fromOtherStage) {}

    static Dockerfile parse(Path file) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                } else {
                    current.append(line);
                    instructions.add(current.toString().strip());
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
        String workdir = null;
        Set<Integer> ports = new LinkedHashSet<>();
        List<String> entrypoint = List.of();
        String user = null;
        List<Copy> copies = new ArrayList<>();
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String rest = parts.length > 1 ? parts[1].strip() : "";
            switch (keyword) {
                case "FROM":  // facts below describe the last stage only
                    workdir = null;
                    ports.clear();
                    entrypoint = List.of();
                    user = null;
                    copies.clear();
                    break;
                case "WORKDIR":
                    workdir = rest;
                    break;
                case "EXPOSE":
                    for (String p : rest.split("\\s+")) {
                        ports.add(Integer.parseInt(p.replaceAll("/.*", "")));
                    }
                    break;
                case "USER":
                    user = rest;
                    break;
                case "ENTRYPOINT":
                    entrypoint = jsonArray(rest, instruction);
                    break;
                case "COPY": {
                    List<String> words = new ArrayList<>(List.of(rest.split("\\s+")));
                    boolean fromStage = words.removeIf(w -> w.startsWith("--from="));
                    words.removeIf(w -> w.startsWith("--"));
                    String dest = words.remove(words.size() - 1);
                    copies.add(new Copy(words, dest, fromStage));
                    break;
                }
                default:
                    break;
            }
        }
        return new Dockerfile(workdir, ports, entrypoint, user, copies);
    }

    private static List<String> jsonArray(String text, String instruction) {
        try {
            return new ObjectMapper().readValue(text, new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw new AssertionError("use the exec (JSON array) form: " + instruction, e);
        }
    }

    /**
     * The images the stages start FROM, in order, without references to earlier stages ({@code FROM build})
     * and without {@code scratch}: what a build pulls.
     */
    static List<String> baseImages(Path file) {
        List<String> images = new ArrayList<>();
        Set<String> stages = new LinkedHashSet<>();
        try {
            for (String raw : Files.readAllLines(file)) {
                String[] words = raw.strip().split("\\s+");
                if (words.length < 2 || !words[0].equalsIgnoreCase("FROM")) {
                    continue;
                }
                List<String> args = new ArrayList<>(List.of(words).subList(1, words.length));
                args.removeIf(w -> w.startsWith("--"));
                String image = args.get(0);
                if (!stages.contains(image.toLowerCase(Locale.ROOT)) && !image.equalsIgnoreCase("scratch")) {
                    images.add(image);
                }
                if (args.size() >= 3 && args.get(1).equalsIgnoreCase("AS")) {
                    stages.add(args.get(2).toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
        return images;
    }

    /** Destination of the COPY whose source is {@code source}, with a trailing slash removed. */
    String destinationOf(String source) {
        return copies.stream()
                .filter(c -> c.sources().stream().anyMatch(s -> strip(s).endsWith(strip(source))))
                .map(c -> strip(c.destination()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile's last stage copies no " + source));
    }

    static String strip(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
