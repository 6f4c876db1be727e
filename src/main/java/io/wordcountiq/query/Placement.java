package io.wordcountiq.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Where a key lives, seen from this instance. */
public record Placement(Role role, KeyQueryMetadata metadata) {

    public enum Role { ACTIVE, STANDBY, ELSEWHERE, UNKNOWN }

    public static Placement of(KeyQueryMetadata md, HostInfo self) {
        if (md == null || md == KeyQueryMetadata.NOT_AVAILABLE || md.activeHost() == null
                || md.activeHost().port() < 0) {
            return new Placement(Role.UNKNOWN, KeyQueryMetadata.NOT_AVAILABLE);
        }
        if (md.activeHost().equals(self)) {
            return new Placement(Role.ACTIVE, md);
        }
        return new Placement(md.standbyHosts().contains(self) ? Role.STANDBY : Role.ELSEWHERE, md);
    }

    public int partition() {
        return metadata.partition();
    }
}
