package dev.freshet.control.directory;

import dev.freshet.engine.swarm.PeerPreference;
import dev.freshet.engine.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class of every peer, from the directory (issue 12): 0 for a member of this node's office (its LAN), 1 for a
 * member of another office of the cluster, 2 for any other client. The engine asks lower ranks first, shares the
 * office's WAN fetches among rank 0 and unchokes rank 0 always. Members are known by their engine's peer id.
 */
public final class OfficeRanks implements PeerPreference {
    public static final int SAME_OFFICE = 0;
    public static final int OTHER_OFFICE = 1;
    public static final int OUTSIDE = 2;

    private final String office;
    private final Map<PeerId, String> officeOf;

    private OfficeRanks(String office, Map<PeerId, String> officeOf) {
        this.office = office;
        this.officeOf = Map.copyOf(officeOf);
    }

    /** The ranks that node {@code self} (of office {@code self.office()}) gives the cluster's {@code members}. */
    public static OfficeRanks of(MemberEntry self, List<MemberEntry> members) {
        Map<PeerId, String> officeOf = new HashMap<>();
        for (MemberEntry m : members) {
            if (!m.memberId().equals(self.memberId())) {
                m.enginePeerId().ifPresent(id -> officeOf.put(id, m.office()));
            }
        }
        return new OfficeRanks(self.office(), officeOf);
    }

    @Override
    public int rank(PeerId peerId, InetSocketAddress address) {
        String theirs = officeOf.get(peerId);
        if (theirs == null) {
            return OUTSIDE;
        }
        return theirs.equals(office) ? SAME_OFFICE : OTHER_OFFICE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OfficeRanks r && r.office.equals(office) && r.officeOf.equals(officeOf);
    }

    @Override
    public int hashCode() {
        return office.hashCode() * 31 + officeOf.hashCode();
    }

    @Override
    public String toString() {
        return "OfficeRanks[" + office + ", " + officeOf.size() + " members]";
    }
}
