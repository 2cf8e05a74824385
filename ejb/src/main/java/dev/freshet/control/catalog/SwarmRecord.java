package dev.freshet.control.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.BitSet;
import java.util.Objects;

/**
 * One swarm this node holds (or held: a removed swarm keeps its row, so a policy does not bring it back).
 * Totals are payload bytes over every run; {@code verified} is the resume data: pieces whose hash passed.
 */
@Entity
@Table(name = "SWARM")
@NamedQuery(name = "SwarmRecord.active", query = "select s from SwarmRecord s where s.removed = false order by s.addedAt")
@NamedQuery(name = "SwarmRecord.all", query = "select s from SwarmRecord s order by s.addedAt")
@NamedQuery(name = "SwarmRecord.hashes", query = "select s.infoHash from SwarmRecord s")
@NamedQuery(name = "SwarmRecord.listed", query = "select s.infoHash, s.name, s.error from SwarmRecord s "
        + "where s.removed = false")
@NamedQuery(name = "SwarmRecord.these", query = "select s from SwarmRecord s where s.infoHash in :hashes")
@NamedQuery(name = "SwarmRecord.unpublished", query = "select s.infoHash, s.unpublishedAt from SwarmRecord s "
        + "where s.removed = true and s.unpublishedAt is not null")
@NamedQuery(name = "SwarmRecord.unpublications", query = "select s.infoHash, s.name, s.unpublishedBy, "
        + "s.unpublishedAt from SwarmRecord s where s.removed = true and s.unpublishedAt is not null")
@NamedQuery(name = "SwarmRecord.dropped", query = "select s.infoHash from SwarmRecord s where s.removed = true "
        + "and (s.unpublishedAt is not null or s.evictedAt is not null)")
public class SwarmRecord {
    @Id
    @Column(length = 40)
    private String infoHash;
    @Column(nullable = false, length = 1024)
    private String name;
    private long totalLength;
    private int pieceCount;
    @Lob
    @Column(nullable = false)
    private byte[] torrent;
    @Column(nullable = false, length = 4096)
    private String savePath;
    @Column(nullable = false, length = 1024)
    private String policy;
    @Lob
    private byte[] verified;
    private int verifiedPieces;
    private long downloaded;
    private long uploaded;
    private long downloadedBefore; // totals of earlier runs; the engine counts from 0 in each run
    private long uploadedBefore;
    private boolean paused;
    private boolean removed;
    /** The last time a peer took data from this copy (null: never); retention gives up the least recently used. */
    private Instant lastUsedAt;
    /** When retention gave this copy up to make room (null: never, or added again since). */
    private Instant evictedAt;
    /** When an admin took the swarm out of the whole cluster (null: never, or published again since). */
    private Instant unpublishedAt;
    @Column(length = 256)
    private String unpublishedBy;
    private boolean complete;
    @Column(length = 2048)
    private String error;
    private Instant addedAt;
    private Instant completedAt;
    /** When {@code verified} was last written: files changed after it are checked again at start (null: never known). */
    private Instant verifiedAt;
    /** Who published or added it here (a user, or {@code token:<id>}); null when the cluster's policy fetched it. */
    @Column(length = 256)
    private String owner;
    /** What a list shows of the torrent, kept so that a list parses no torrent (null/0 in rows older than them). */
    private int pieceLength;
    private boolean privateSwarm;
    /**
     * This node is one of the swarm's first seeds (the publisher or a node of its office: each piece goes out of the
     * office about once, issue 12): kept so that a restart does not make it send every piece to every office again.
     */
    private boolean firstSeed;
    @Column(length = 16384)
    private String magnet;
    @Version
    private long version;

    protected SwarmRecord() {
    }

    public SwarmRecord(String infoHash, String name, long totalLength, int pieceCount, byte[] torrent, String savePath,
                       String policy) {
        this.infoHash = Objects.requireNonNull(infoHash, "infoHash");
        this.name = Objects.requireNonNull(name, "name");
        this.totalLength = totalLength;
        this.pieceCount = pieceCount;
        this.torrent = torrent.clone();
        this.savePath = Objects.requireNonNull(savePath, "savePath");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.verified = new byte[0];
        this.addedAt = Instant.now();
    }

    /** A new engine run starts: its counters begin at 0, so what was counted so far becomes the base. */
    public void startRun() {
        downloadedBefore = downloaded;
        uploadedBefore = uploaded;
        error = null;
    }

    /** Pieces newly verified in this run, and this run's payload totals. */
    public void recordProgress(BitSet newlyVerified, int verifiedNow, long runDownloaded, long runUploaded) {
        BitSet v = verifiedPieces();
        v.or(newlyVerified);
        storeVerified(v);
        verifiedPieces = Math.max(verifiedPieces, Math.min(verifiedNow, pieceCount));
        downloaded = downloadedBefore + runDownloaded;
        uploaded = uploadedBefore + runUploaded;
    }

    /** Everything verified: from now on the node seeds. */
    public void markComplete() {
        BitSet all = new BitSet(pieceCount);
        all.set(0, pieceCount);
        storeVerified(all);
        complete = true;
        if (completedAt == null) {
            completedAt = Instant.now();
        }
    }

    /** The check at start found exactly these pieces valid (it is the truth, also when smaller than stored). */
    public void checked(BitSet valid) {
        storeVerified((BitSet) valid.clone());
        if (verifiedPieces < pieceCount) {
            complete = false;
        }
    }

    /** Keeps {@code v} (pieces past the torrent's end dropped) as the resume data, recorded now. */
    private void storeVerified(BitSet v) {
        v.clear(pieceCount, Math.max(pieceCount, v.length()));
        verified = v.toByteArray();
        verifiedPieces = v.cardinality();
        verifiedAt = Instant.now();
    }

    /**
     * Moves the swarm's data directory (the save-path migration); the pieces are checked again at the next start,
     * since the data moved there may be another swarm's of the same name.
     */
    public void relocate(String newSavePath) {
        savePath = Objects.requireNonNull(newSavePath, "newSavePath");
        verifiedAt = null;
    }

    /** When the resume data was last written, in epoch milliseconds; 0 when never known (everything is checked). */
    public long verifiedAtMillis() {
        return verifiedAt == null ? 0 : verifiedAt.toEpochMilli();
    }

    public void fail(String message) {
        error = message;
    }

    /** {@code user} published or added it: a publisher may pause, resume and remove its own swarms. */
    public void own(String user) {
        owner = user;
    }

    public String owner() {
        return owner;
    }

    /** Keeps what a list shows of the torrent (its piece length, private flag, magnet link). */
    public void describe(int pieceLength, boolean privateSwarm, String magnet) {
        this.pieceLength = pieceLength;
        this.privateSwarm = privateSwarm;
        this.magnet = magnet != null && magnet.length() <= 16384 ? magnet : null;
    }

    /** Whether {@link #describe} was done (rows written before it was, until the node's next start). */
    public boolean described() {
        return magnet != null && pieceLength > 0;
    }

    public int pieceLength() {
        return pieceLength;
    }

    public boolean privateSwarm() {
        return privateSwarm;
    }

    public boolean firstSeed() {
        return firstSeed;
    }

    /** Whether this node runs the swarm as one of its first seeds (set each time the swarm is started by a decision). */
    public void firstSeed(boolean firstSeed) {
        this.firstSeed = firstSeed;
    }

    public String magnet() {
        return magnet;
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public void remove(boolean dataDeleted) {
        removed = true;
        paused = false;
        if (dataDeleted) {
            verified = new byte[0];
            verifiedPieces = 0;
            complete = false;
        }
    }

    /**
     * Removed because an admin took the swarm out of the cluster ({@code by}, {@code at}): unlike a removal on this
     * node alone, a new publication of the swarm brings it back here by its policy.
     */
    public void unpublish(String by, Instant at, boolean dataDeleted) {
        remove(dataDeleted);
        unpublishedBy = by;
        unpublishedAt = at;
    }

    public Instant unpublishedAt() {
        return unpublishedAt;
    }

    /**
     * The swarm was published anew after the unpublication recorded here: that record no longer speaks for the
     * cluster (it is not put back in the grid), and the copy stays removed.
     */
    public void forgetUnpublication() {
        unpublishedAt = null;
        unpublishedBy = null;
    }

    /** Given up by retention to make room; its data went with it. */
    public void evict(Instant at) {
        remove(true);
        evictedAt = at;
    }

    public Instant evictedAt() {
        return evictedAt;
    }

    public void used(Instant at) {
        lastUsedAt = at;
    }

    /** When this copy was last of use here: a peer took data from it, it completed, or it was added. */
    public Instant lastUsed() {
        Instant last = addedAt;
        for (Instant t : new Instant[] {completedAt, lastUsedAt}) {
            if (t != null && (last == null || t.isAfter(last))) {
                last = t;
            }
        }
        return last;
    }

    /** Added again after a removal. */
    public void reinstate(String policy, String savePath) {
        removed = false;
        addedAt = Instant.now(); // added anew (an unpublication from before does not apply to it)
        unpublishedAt = null;
        unpublishedBy = null;
        evictedAt = null;
        this.policy = policy;
        this.savePath = savePath;
    }

    public BitSet verifiedPieces() {
        return verified == null ? new BitSet() : BitSet.valueOf(verified);
    }

    public String infoHash() {
        return infoHash;
    }

    public String name() {
        return name;
    }

    public long totalLength() {
        return totalLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public byte[] torrent() {
        return torrent.clone();
    }

    public String savePath() {
        return savePath;
    }

    public String policy() {
        return policy;
    }

    public int verifiedCount() {
        return verifiedPieces;
    }

    public long downloaded() {
        return downloaded;
    }

    public long uploaded() {
        return uploaded;
    }

    public boolean paused() {
        return paused;
    }

    public boolean removed() {
        return removed;
    }

    public boolean complete() {
        return complete;
    }

    public String error() {
        return error;
    }

    public Instant addedAt() {
        return addedAt;
    }

    public Instant completedAt() {
        return completedAt;
    }
}
