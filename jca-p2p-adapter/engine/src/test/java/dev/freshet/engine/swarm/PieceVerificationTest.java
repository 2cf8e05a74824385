package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.picker.Block;
import dev.freshet.engine.storage.PieceLayout;
import dev.freshet.engine.wire.PeerId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verification decision on its own: when a whole piece needs the hashing pool, and what a check's result costs
 * whom. (Whole swarms with corrupting peers: {@code Issue10HostilePeersTest}, {@code WebSeedTest}.)
 */
class PieceVerificationTest {
    private static final int PIECE = 2 * PieceLayout.BLOCK_SIZE;
    private final byte[] content = new byte[2 * PIECE];
    private final Info info;
    private final PieceLayout layout = new PieceLayout(PIECE, new long[] {content.length});
    private final PeerId honest = peer(1);
    private final PeerId liar = peer(2);
    private final PeerId member = peer(3);

    PieceVerificationTest() throws Exception {
        new Random(11).nextBytes(content);
        byte[] hashes = new byte[40];
        for (int p = 0; p < 2; p++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(content, p * PIECE, PIECE);
            System.arraycopy(sha1.digest(), 0, hashes, 20 * p, 20);
        }
        info = Info.create("a", PIECE, hashes, List.of(new FileEntry(List.of("a"), content.length)), false, false);
    }

    private PieceVerification verification() {
        return new PieceVerification(info, layout, new PeerBans(2));
    }

    private ByteBuffer block(int piece, int index, boolean good) {
        byte[] b = new byte[PieceLayout.BLOCK_SIZE];
        System.arraycopy(content, piece * PIECE + index * PieceLayout.BLOCK_SIZE, b, 0, b.length);
        if (!good) {
            b[100] ^= 1;
        }
        return ByteBuffer.wrap(b);
    }

    private void arrive(PieceVerification v, int piece, int index, boolean good, PeerId from) {
        ByteBuffer data = block(piece, index, good);
        v.blockArrived(new Block(piece, index), data);
        assertThat(data.position()).as("the bytes are left for the write").isZero();
        v.blockStored(new Block(piece, index), from);
    }

    private static PeerId peer(int n) {
        byte[] id = new byte[20];
        id[19] = (byte) n;
        return PeerId.of(id);
    }

    private byte[][] digests(boolean... good) throws Exception {
        byte[][] out = new byte[good.length][];
        for (int b = 0; b < good.length; b++) {
            out[b] = MessageDigest.getInstance("SHA-1").digest(block(0, b, good[b]).array());
        }
        return out;
    }

    @Test
    void aPieceWhoseBlocksCameInOrderAndMatchPassesWithoutThePool() {
        PieceVerification v = verification();
        arrive(v, 0, 0, true, honest);
        arrive(v, 0, 1, true, honest);
        assertThat(v.passedInOrder(0)).isTrue();
    }

    @Test
    void outOfOrderOrWrongBlocksGoToThePool() {
        PieceVerification v = verification();
        arrive(v, 0, 1, true, honest);
        arrive(v, 0, 0, true, honest);
        assertThat(v.passedInOrder(0)).as("out of order: read back").isFalse();
        arrive(v, 1, 0, true, honest);
        arrive(v, 1, 1, false, liar);
        assertThat(v.passedInOrder(1)).as("in order, but the hash differs").isFalse();
        assertThat(v.needsBlockDigests(1)).as("no failure recorded yet").isFalse();
    }

    @Test
    void aFailureThenAPassBansThePeerWhoseBlockDiffered() throws Exception {
        PieceVerification v = verification();
        arrive(v, 0, 0, true, honest);
        arrive(v, 0, 1, false, liar);
        PieceVerification.Verdict failed = v.checked(0, false, digests(true, false), p -> false);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.contributors()).contains(honest.toString(), liar.toString());
        assertThat(failed.bans()).as("two contributors: nobody is banned yet").isEmpty();
        assertThat(v.failedCount()).isEqualTo(1);

        arrive(v, 0, 0, true, honest);
        arrive(v, 0, 1, true, honest);
        assertThat(v.passedInOrder(0)).as("a piece that failed before needs every block's digest").isFalse();
        assertThat(v.needsBlockDigests(0)).isTrue();
        PieceVerification.Verdict passed = v.checked(0, true, digests(true, true), p -> false);
        assertThat(passed.passed()).isTrue();
        assertThat(passed.bans()).extracting(PieceVerification.Ban::peer).containsExactly(liar);
    }

    @Test
    void aSoleSourceIsBannedAtItsSecondFailureAClusterMemberNamedForARecheckInstead() throws Exception {
        PieceVerification v = verification();
        for (int round = 0; round < 2; round++) {
            arrive(v, 0, 0, false, liar);
            arrive(v, 0, 1, true, liar);
            PieceVerification.Verdict failed = v.checked(0, false, digests(false, true), p -> false);
            assertThat(failed.bans()).extracting(PieceVerification.Ban::peer).as("round %d", round)
                    .isEqualTo(round == 0 ? List.of() : List.of(liar));
        }
        for (int round = 0; round < PeerBans.SOLE_FAILURES_TO_BAN + 1; round++) {
            arrive(v, 0, 0, false, member);
            arrive(v, 0, 1, true, member);
            PieceVerification.Verdict failed = v.checked(0, false, digests(false, true), member::equals);
            assertThat(failed.members()).containsExactly(member);
            assertThat(failed.bans()).as("round %d", round).isEmpty();
        }
    }

    @Test
    void theWebSeedIsNamedOnlyWhenItsBytesWereStoredInThePiece() throws Exception {
        PieceVerification v = verification();
        arrive(v, 0, 0, false, WebSeed.ID);
        arrive(v, 0, 1, true, honest);
        assertThat(v.checked(0, false, digests(false, true), p -> false).fromWebSeed()).isTrue();
        arrive(v, 0, 0, true, honest);
        arrive(v, 0, 1, true, honest);
        assertThat(v.checked(0, true, digests(true, true), p -> false).fromWebSeed())
                .as("the flag does not outlive the check").isFalse();
    }
}
