package io.wordcountiq.settings;

import java.util.List;
import java.util.Locale;

/**
 * How this instance calls its peers.
 *
 * @param uiObservers observers the /ui/ page shows besides the instances of the consumer group (UI_OBSERVERS,
 *                    comma-separated host:port, as FORWARD_SCHEME reaches them); empty for none
 */
public record PeerSettings(
        String forwardScheme,
        int forwardConnectTimeoutMs,
        int forwardTimeoutMs,
        String forwardTruststore,
        String forwardTruststorePassword,
        long peerProbeIntervalMs,
        List<String> uiObservers) {

    static PeerSettings read(SettingValues v) {
        String scheme = v.text("forward.scheme").toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("FORWARD_SCHEME must be http or https, was " + scheme);
        }
        return new PeerSettings(
                scheme,
                v.integer("forward.connect.timeout.ms"),
                v.integer("forward.timeout.ms"),
                v.text("forward.truststore", ""),
                v.text("forward.truststore.password", ""),
                v.number("peer.probe.interval.ms"),
                HostPorts.list("UI_OBSERVERS", v.text("ui.observers", "")));
    }
}
