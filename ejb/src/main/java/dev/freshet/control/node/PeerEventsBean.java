package dev.freshet.control.node;

import dev.freshet.adapter.api.PeerEventListener;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.control.directory.MemberEntry;
import dev.freshet.control.directory.SwarmDirectory;
import dev.freshet.engine.wire.PeerId;
import dev.freshet.engine.metainfo.InfoHash;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Receives the engine's events from the resource adapter and records them in the catalog: verified pieces
 * (the resume data), transfer totals, completion, errors. Which resource adapter it listens to differs by
 * packaging, so it is not in this annotation (which would override any descriptor): the WAR's
 * {@code WEB-INF/glassfish-ejb-jar.xml} names the standalone {@code jca-p2p-adapter}, this module's own
 * {@code META-INF/glassfish-ejb-jar.xml} the EAR's embedded {@code freshet#jca-p2p-adapter}.
 */
@MessageDriven(name = "PeerEventsBean", messageListenerInterface = PeerEventListener.class)
public class PeerEventsBean implements PeerEventListener {
    private static final System.Logger LOG = System.getLogger(PeerEventsBean.class.getName());

    @EJB
    Catalog catalog;
    @jakarta.inject.Inject
    SwarmDirectory directory;

    @Override
    public void swarmStarted(InfoHash infoHash, int verifiedPieces, int pieceCount, java.util.BitSet verified) {
        catalog.update(infoHash.hex(), r -> r.checked(verified));
    }

    @Override
    public void progress(InfoHash infoHash, BitSet newlyVerified, int verifiedPieces, int pieceCount, long downloaded,
                         long uploaded) {
        catalog.recordProgress(infoHash.hex(), newlyVerified, verifiedPieces, downloaded, uploaded);
    }

    @Override
    public void swarmComplete(InfoHash infoHash, long totalLength) {
        catalog.update(infoHash.hex(), SwarmRecord::markComplete);
        LOG.log(System.Logger.Level.INFO, "Freshet: {0} is complete and verified ({1} bytes); seeding", infoHash.hex(),
                totalLength);
    }

    @Override
    public void peerBanned(InfoHash infoHash, String address, String reason) {
        LOG.log(System.Logger.Level.WARNING, "Freshet banned peer {0} of {1}: {2}", address, infoHash.hex(), reason);
    }

    /**
     * Issue 10, case 3 in the cluster: each member that contributed to a piece that failed here is asked to hash
     * its copy again (it may have rotted since it was verified, and its scrub may be hours away from that piece).
     */
    @Override
    public void pieceFailedFromMembers(InfoHash infoHash, int piece, List<PeerId> members) {
        Set<String> ids = members.stream().map(p -> HexFormat.of().formatHex(p.bytes())).collect(Collectors.toSet());
        String self = directory.localMemberId();
        for (MemberEntry m : directory.knownMembers()) {
            if (ids.contains(m.peerId()) && !m.memberId().equals(self)) {
                LOG.log(System.Logger.Level.INFO, "Freshet: piece {0} of {1} from member {2} failed its hash check "
                        + "here; asking it to recheck its copy", piece, infoHash.hex(), m.name());
                directory.askRecheck(m.memberId(), infoHash.hex(), piece);
            }
        }
    }

    @Override
    public void swarmError(InfoHash infoHash, String message) {
        catalog.update(infoHash.hex(), r -> r.fail(message));
        LOG.log(System.Logger.Level.WARNING, "Freshet swarm {0} stopped: {1}", infoHash.hex(), message);
    }
}
