package io.wordcountiq.model;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Where a key lives, seen from this instance. */
public record Placement(Role role, KeyQueryMetadata metadata) {

    public enum Role { ACTIVE, STANDBY, ELSEWHERE, UNKNOWN }

    /** How this instance answers a lookup of the key. */
    public enum Decision {
        /** Read the active copy here. */
        READ_ACTIVE,
        /** Read the standby copy here, and say the answer may be stale. */
        READ_STANDBY,
        /** Ask the key's holders. */
        FORWARD,
        /** A peer forwarded the request, and this instance holds no copy of the key's partition. */
        NOT_HOSTED
    }

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

    /**
     * @param localOnly the request was forwarded by a peer: it is answered here or not at all (one hop at most).
     *                  A standby copy answers only then, or after every other holder failed.
     */
    public Decision decide(boolean localOnly) {
        if (role == Role.ACTIVE) {
            return Decision.READ_ACTIVE;
        }
        if (!localOnly) {
            return Decision.FORWARD;
        }
        return role == Role.STANDBY ? Decision.READ_STANDBY : Decision.NOT_HOSTED;
    }

    public int partition() {
        return metadata.partition();
    }
}
