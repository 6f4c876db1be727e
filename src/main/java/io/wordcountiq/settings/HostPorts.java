package io.wordcountiq.settings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What counts as a host:port in the settings. */
final class HostPorts {

    private HostPorts() {
    }

    /** A comma-separated list of host:port (blanks around entries ignored, duplicates dropped). */
    static List<String> list(String variable, String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : list.split(",")) {
            String hostPort = entry.trim();
            if (hostPort.isEmpty()) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            boolean valid = colon > 0 && colon < hostPort.length() - 1
                    && hostPort.substring(colon + 1).chars().allMatch(Character::isDigit)
                    && hostPort.length() - colon - 1 <= 5 && Integer.parseInt(hostPort.substring(colon + 1)) <= 65535
                    && hostPort.substring(0, colon).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-');
            if (!valid) {
                throw new IllegalArgumentException(variable + " must be a comma-separated list of host:port, had '"
                        + hostPort + "'");
            }
            out.add(hostPort);
        }
        return List.copyOf(out);
    }

    /** The address other instances reach this one at (APPLICATION_SERVER). */
    static String server(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("APPLICATION_SERVER must be host:port, was " + hostPort);
        }
        Integer.parseInt(hostPort.substring(colon + 1));
        return hostPort;
    }
}
