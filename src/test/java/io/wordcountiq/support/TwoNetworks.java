package io.wordcountiq.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Green and red "clusters", each in its own network namespace with real latency between them, and a Kafka namespace
 * that both reach without delay: the Java face of scripts/netns/clusters.sh (the layout is described there). Needs
 * root, ip, nft and gcc; without them {@link #up} throws, it never skips. The test JVM stays in the host namespace,
 * which cannot reach these addresses: run servers and clients inside with {@link #command}.
 */
public final class TwoNetworks implements AutoCloseable {

    private static final Path SCRIPT = Path.of("scripts", "netns", "clusters.sh");
    private static final long SCRIPT_TIMEOUT_S = 120;

    private final Map<String, String> env;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(() -> down(true), "two-networks-down");

    private TwoNetworks(Map<String, String> env) {
        this.env = env;
    }

    /** Builds the namespaces (replacing any left over with the same prefix) with a one-way green<->red delay in ms. */
    public static TwoNetworks up(int delayMs) {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            throw new IllegalStateException("TwoNetworks needs Linux network namespaces, not "
                    + System.getProperty("os.name"));
        }
        Map<String, String> env = new HashMap<>();
        for (String line : script("up", Integer.toString(delayMs)).split("\n")) {
            if (line.matches("[A-Z_]+=.*")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
            }
        }
        TwoNetworks networks = new TwoNetworks(env);
        Runtime.getRuntime().addShutdownHook(networks.hook);
        return networks;
    }

    /** Sets the one-way green<->red delay (the RTT is twice this); 0 removes it. */
    public void delay(int ms) {
        script("delay", Integer.toString(ms));
    }

    /** Drops every packet between the green and red subnets, both ways; connects and reads time out. */
    public void partition() {
        script("partition");
    }

    /** Undoes {@link #partition}. */
    public void heal() {
        script("heal");
    }

    /** The namespace of green, red, kafka or the router ("green", "red", "kafka", "net"). */
    public String namespace(String which) {
        return env.get("WCIQ_NETNS_PREFIX") + "-" + which;
    }

    /** The i-th address of green (0 = the first; there are {@link #hosts()}). */
    public String green(int i) {
        return env.get("GREEN_IPS").split(" ")[i];
    }

    /** The i-th address of red (0 = the first). */
    public String red(int i) {
        return env.get("RED_IPS").split(" ")[i];
    }

    /** The Kafka namespace's address. */
    public String kafka() {
        return env.get("KAFKA_IP");
    }

    /** How many addresses green and red each have. */
    public int hosts() {
        return env.get("GREEN_IPS").split(" ").length;
    }

    /** A command run inside namespace ns (a full name, or "green", "red", "kafka", "net"). */
    public ProcessBuilder command(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns.contains("-") ? ns : namespace(ns)));
        all.addAll(List.of(cmd));
        return new ProcessBuilder(all);
    }

    /** Runs {@link NetProbe} inside ns with the given arguments and returns its PROBE line. */
    public String probe(String ns, String... args) throws IOException, InterruptedException {
        String classes;
        try {
            classes = Path.of(NetProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classes,
                NetProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = command(ns, cmd.toArray(String[]::new)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("PROBE ")) {
            throw new IllegalStateException("NetProbe in " + ns + " failed: " + out);
        }
        return out.substring(out.lastIndexOf("PROBE ")).strip();
    }

    /** Tears everything down (also what other processes left in the namespaces); idempotent, also run at JVM exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
        down(false);
    }

    private void down(boolean quiet) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            script("down");
        } catch (RuntimeException e) {
            if (!quiet) {
                throw e;
            }
            System.err.println("TwoNetworks: " + e.getMessage());
        }
    }

    /** Runs clusters.sh with args; returns its output (stdout and stderr), throws with that output if it fails. */
    private static String script(String... args) {
        if (!Files.isRegularFile(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing (run from the project folder)");
        }
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("two-networks", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " took over " + SCRIPT_TIMEOUT_S + " s: "
                            + Files.readString(out));
                }
                String output = Files.readString(out);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                            + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + SCRIPT, e);
        }
    }
}
