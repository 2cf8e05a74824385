package dev.freshet.web.api;

import dev.freshet.control.PublicationJobs;
import dev.freshet.control.Publications;
import dev.freshet.control.SwarmNotFoundException;
import dev.freshet.control.catalog.PublicationRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/** A publication as the API shows it: its record joined with how far hashing is while it runs on this node. */
@ApplicationScoped
public class PublicationsView {
    @Inject
    PublicationJobs jobs;
    @Inject
    Publications live;

    /**
     * {@code state}: {@code hashing}, {@code done} ({@code infoHash}, {@code swarm}: the swarm's path in the API) or
     * {@code failed} ({@code error}); {@code bytesPerSecond} and {@code etaSeconds} while it hashes (-1: not known
     * yet).
     */
    public record PublicationDto(String id, String name, String state, int piecesHashed, int pieceCount,
                                 long totalLength, long bytesPerSecond, long etaSeconds, String startedAt,
                                 String finishedAt, String infoHash, String swarm, String error) {
    }

    public PublicationDto view(String id) {
        return view(jobs.find(id).orElseThrow(() -> new SwarmNotFoundException("no publication " + id
                + " on this node (publications are followed on the node they were asked of)")));
    }

    public PublicationDto view(PublicationRecord r) {
        Optional<Publications.Progress> p = live.progress(r.id());
        boolean hashing = r.state().equals(PublicationRecord.HASHING);
        return new PublicationDto(r.id(), r.name(), r.state(),
                hashing ? p.map(Publications.Progress::piecesHashed).orElse(r.piecesHashed()) : r.piecesHashed(),
                hashing ? p.map(Publications.Progress::pieceCount).filter(c -> c > 0).orElse(r.pieceCount()) : r.pieceCount(),
                r.totalLength(), hashing ? p.map(Publications.Progress::bytesPerSecond).orElse(0L) : 0,
                hashing ? p.map(Publications.Progress::etaSeconds).orElse(-1L) : 0,
                Instant.ofEpochMilli(r.startedAt()).toString(),
                r.finishedAt() == 0 ? null : Instant.ofEpochMilli(r.finishedAt()).toString(), r.infoHash(),
                r.infoHash() == null ? null : "/api/swarms/" + r.infoHash(), r.error());
    }
}
