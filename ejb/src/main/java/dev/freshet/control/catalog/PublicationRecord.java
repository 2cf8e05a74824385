package dev.freshet.control.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.util.BitSet;

/**
 * A publication that hashes in the background (issue 14): what to publish and how, who asked, how far hashing got
 * (the piece hashes so far: the checkpoint a restarted node goes on from, valid while the data's fingerprint, its
 * sizes and modification times, is unchanged), and how it ended: {@code hashing}, {@code done} (with the info-hash)
 * or {@code failed} (with why).
 */
@Entity
@Table(name = "PUBLICATION")
@NamedQuery(name = "PublicationRecord.hashing", query = "SELECT p FROM PublicationRecord p WHERE p.state = 'hashing'")
@NamedQuery(name = "PublicationRecord.recent", query = "SELECT p FROM PublicationRecord p ORDER BY p.startedAt DESC")
public class PublicationRecord {
    public static final String HASHING = "hashing";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "SOURCE", nullable = false, length = 4096)
    private String source;
    @Column(name = "NAME", nullable = false, length = 1024)
    private String name;
    @Column(name = "POLICY", nullable = false, length = 1024)
    private String policy;
    @Column(name = "PRIVATE_SWARM")
    private boolean privateSwarm;
    @Column(name = "PIECE_LENGTH")
    private int pieceLength;
    @Column(name = "WEB_SEEDS", length = 4096)
    private String webSeeds;
    @Column(name = "UPLOAD")
    private boolean upload;
    @Column(name = "OWNER", length = 256)
    private String owner;
    @Column(name = "STATE", nullable = false, length = 16)
    private String state;
    @Column(name = "TOTAL_LENGTH")
    private long totalLength;
    @Column(name = "FINGERPRINT", length = 128)
    private String fingerprint;
    @Column(name = "PIECE_COUNT")
    private int pieceCount;
    @Column(name = "PIECES_HASHED")
    private int piecesHashed;
    @Lob
    @Column(name = "HASHES")
    private byte[] hashes;
    @Lob
    @Column(name = "HASHED")
    private byte[] hashed;
    @Column(name = "STARTED_AT")
    private long startedAt;
    @Column(name = "FINISHED_AT")
    private long finishedAt;
    @Column(name = "INFO_HASH", length = 40)
    private String infoHash;
    @Column(name = "ERROR", length = 2048)
    private String error;

    protected PublicationRecord() {
    }

    public PublicationRecord(String id, String source, String name, String policy, boolean privateSwarm,
                             int pieceLength, String webSeeds, boolean upload, String owner, long totalLength) {
        this.id = id;
        this.source = source;
        this.name = name;
        this.policy = policy;
        this.privateSwarm = privateSwarm;
        this.pieceLength = pieceLength;
        this.webSeeds = webSeeds;
        this.upload = upload;
        this.owner = owner;
        this.totalLength = totalLength;
        this.state = HASHING;
        this.startedAt = System.currentTimeMillis();
    }

    /** The data is not what the checkpoint was taken of (or there is none): hashing starts again. */
    public void restart(String fingerprint, int pieceLength, int pieceCount) {
        this.fingerprint = fingerprint;
        this.pieceLength = pieceLength;
        this.pieceCount = pieceCount;
        this.piecesHashed = 0;
        this.hashes = new byte[pieceCount * 20];
        this.hashed = new byte[0];
    }

    /** The hashes of the pieces in {@code done} so far. */
    public void checkpoint(byte[] hashes, BitSet done) {
        this.hashes = hashes.clone();
        this.hashed = done.toByteArray();
        this.piecesHashed = done.cardinality();
    }

    public void done(String infoHash) {
        this.state = DONE;
        this.infoHash = infoHash;
        this.finishedAt = System.currentTimeMillis();
        this.hashes = null; // kept only while it can be resumed
        this.hashed = null;
        this.piecesHashed = pieceCount;
    }

    public void fail(String why) {
        this.state = FAILED;
        this.error = why == null ? "failed" : why.length() > 2048 ? why.substring(0, 2048) : why;
        this.finishedAt = System.currentTimeMillis();
        this.hashes = null;
        this.hashed = null;
    }

    public String id() {
        return id;
    }

    public String source() {
        return source;
    }

    public String name() {
        return name;
    }

    public String policy() {
        return policy;
    }

    public boolean privateSwarm() {
        return privateSwarm;
    }

    /** The piece length asked for (0: automatic) until hashing starts, then the one used. */
    public int pieceLength() {
        return pieceLength;
    }

    public String webSeeds() {
        return webSeeds;
    }

    public boolean upload() {
        return upload;
    }

    public String owner() {
        return owner;
    }

    public String state() {
        return state;
    }

    public long totalLength() {
        return totalLength;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public int piecesHashed() {
        return piecesHashed;
    }

    public byte[] hashes() {
        return hashes == null ? null : hashes.clone();
    }

    public BitSet hashedPieces() {
        return hashed == null ? new BitSet() : BitSet.valueOf(hashed);
    }

    public long startedAt() {
        return startedAt;
    }

    public long finishedAt() {
        return finishedAt;
    }

    public String infoHash() {
        return infoHash;
    }

    public String error() {
        return error;
    }
}
