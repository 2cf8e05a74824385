package dev.freshet.control.node;

import dev.freshet.adapter.api.PeerEventListener;
import dev.freshet.control.catalog.Catalog;
import dev.freshet.control.catalog.SwarmRecord;
import dev.freshet.engine.metainfo.InfoHash;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;

import java.util.BitSet;

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

    @Override
    public void swarmError(InfoHash infoHash, String message) {
        catalog.update(infoHash.hex(), r -> r.fail(message));
        LOG.log(System.Logger.Level.WARNING, "Freshet swarm {0} stopped: {1}", infoHash.hex(), message);
    }
}
