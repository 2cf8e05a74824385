package dev.freshet.engine.picker;

import dev.freshet.engine.storage.PieceLayout;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixtures are strings with one character per piece: for availability a digit (how many peers have
 * it); for piece sets '*' (has it) or ' ' (does not).
 */
class PiecePickerTest {
    private static final int BLOCK = PieceLayout.BLOCK_SIZE;

    /** {@code pieces} pieces of {@code blocks} blocks each. */
    private static PiecePicker picker(int pieces, int blocks, String have, String availability, long seed) {
        long[] files = {(long) pieces * blocks * BLOCK};
        PiecePicker p = new PiecePicker(new PieceLayout(blocks * BLOCK, files), set(have), new Random(seed));
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                p.peerHas(i);
            }
        }
        p.checkInvariants();
        return p;
    }

    private static BitSet set(String fixture) {
        BitSet s = new BitSet();
        for (int i = 0; i < fixture.length(); i++) {
            if (fixture.charAt(i) == '*') {
                s.set(i);
            }
        }
        return s;
    }

    private static Set<Integer> pieces(List<Block> blocks) {
        Set<Integer> s = new HashSet<>();
        blocks.forEach(b -> s.add(b.piece()));
        return s;
    }

    @Test
    void picksTheRarestPieceThePeerHas() {
        PiecePicker p = picker(7, 4, "       ", "3231233", 1);
        assertThat(p.pick(set("*******"), 4, b -> false)).extracting(Block::piece).containsOnly(3);
        assertThat(p.pick(set("** ****"), 4, b -> false)).extracting(Block::piece).containsOnly(1);
        p.checkInvariants();
    }

    @Test
    void aSequentialOrderStartsTheFirstMissingPieceWhateverItsAvailability() {
        PiecePicker p = picker(7, 4, "**     ", "3231233", 1);
        p.setOrder(PieceOrder.SEQUENTIAL);
        assertThat(p.pick(set("*******"), 4, b -> false)).extracting(Block::piece).containsOnly(2);
        assertThat(p.pick(set("*** ***"), 4, b -> false)).extracting(Block::piece).containsOnly(4);
        // back to rarest first: piece 3 (availability 1) before 5 and 6
        p.setOrder(PieceOrder.RAREST_FIRST);
        assertThat(p.pick(set("*******"), 4, b -> false)).extracting(Block::piece).containsOnly(3);
        p.checkInvariants();
    }

    @Test
    void neverPicksPiecesWeHaveOrThePeerLacks() {
        PiecePicker p = picker(6, 2, "* *   ", "111111", 2);
        List<Block> got = p.pick(set("**** *"), 100, b -> false);
        assertThat(pieces(got)).containsExactlyInAnyOrder(1, 3, 5);
        assertThat(got).hasSize(6);
        p.checkInvariants();
    }

    @Test
    void breaksTiesAtRandomSoPeersSpreadOut() {
        Set<Integer> first = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            PiecePicker p = picker(8, 1, "        ", "22222222", seed);
            first.add(p.pick(set("********"), 1, b -> false).get(0).piece());
        }
        assertThat(first.size()).isGreaterThan(4);
    }

    @Test
    void aNewPieceIsRequestedWholeFromOnePeer() {
        PiecePicker p = picker(4, 4, "    ", "1111", 3);
        List<Block> a = p.pick(set("****"), 2, b -> false);
        assertThat(a).hasSize(4);
        assertThat(pieces(a)).hasSize(1);
        p.checkInvariants();
    }

    @Test
    void aNewPieceIsCutShortByThePeersQueueLimit() {
        PiecePicker p = picker(2, 8, "  ", "11", 3);
        List<Block> a = p.pick(set("**"), 2, 3, b -> false);
        assertThat(a).hasSize(3);
        assertThat(pieces(a)).hasSize(1);
        p.checkInvariants();
    }

    @Test
    void finishesStartedPiecesFirstTheMostAdvancedOne() {
        PiecePicker p = picker(4, 4, "    ", "1111", 3);
        BitSet all = set("****");
        List<Block> first = p.pick(all, 1, b -> false);
        List<Block> second = p.pick(all, 1, b -> false);
        // the first peer goes away before sending the last block of its piece; the second sends half of its
        p.requestEnded(first.get(3));
        p.blockReceived(first.get(0));
        p.blockReceived(first.get(1));
        p.blockReceived(first.get(2));
        p.requestEnded(second.get(2));
        p.requestEnded(second.get(3));
        List<Block> next = p.pick(all, 1, b -> false);
        assertThat(next).containsExactly(first.get(3));
        assertThat(p.pick(all, 2, b -> false)).containsExactly(second.get(2), second.get(3));
        p.checkInvariants();
    }

    @Test
    void endgameAsksOtherPeersForBlocksStillInFlightButNeverTheSamePeerTwice() {
        PiecePicker p = picker(2, 2, "  ", "22", 4);
        BitSet all = set("**");
        List<Block> peerA = p.pick(all, 10, b -> false);
        assertThat(peerA).hasSize(4);
        assertThat(p.inEndgame()).isTrue();
        assertThat(p.pick(all, 10, peerA::contains)).isEmpty();
        List<Block> peerB = p.pick(all, 10, b -> false);
        assertThat(peerB).containsExactlyInAnyOrderElementsOf(peerA);
        // at most ENDGAME_DUPLICATES requests per block
        assertThat(p.pick(all, 10, b -> false)).isEmpty();
        p.checkInvariants();
    }

    @Test
    void receivedBlocksCompleteAPieceOnceAndDuplicatesAreUnexpected() {
        PiecePicker p = picker(1, 2, " ", "1", 5);
        List<Block> blocks = p.pick(set("*"), 2, b -> false);
        assertThat(p.blockReceived(blocks.get(0))).isEqualTo(PiecePicker.Received.STORED);
        assertThat(p.blockReceived(blocks.get(0))).isEqualTo(PiecePicker.Received.UNEXPECTED);
        assertThat(p.blockReceived(blocks.get(1))).isEqualTo(PiecePicker.Received.PIECE_COMPLETE);
        assertThat(p.blockReceived(new Block(0, 7))).isEqualTo(PiecePicker.Received.UNEXPECTED);
        p.checkInvariants();
        p.pieceVerified(0);
        assertThat(p.isComplete()).isTrue();
        assertThat(p.have(0)).isTrue();
        p.checkInvariants();
    }

    @Test
    void aFailedPieceIsFetchedAgainFromScratch() {
        PiecePicker p = picker(1, 3, " ", "1", 6);
        for (Block b : p.pick(set("*"), 3, x -> false)) {
            p.blockReceived(b);
        }
        p.pieceFailed(0);
        p.checkInvariants();
        assertThat(p.isComplete()).isFalse();
        assertThat(p.pick(set("*"), 10, x -> false)).hasSize(3);
        p.checkInvariants();
    }

    @Test
    void endedRequestsFreeTheirBlocks() {
        PiecePicker p = picker(1, 2, " ", "1", 7);
        List<Block> blocks = p.pick(set("*"), 2, x -> false);
        p.requestEnded(blocks.get(1));
        p.checkInvariants();
        // block 0 is still outstanding at this peer: only block 1 is asked for again
        assertThat(p.pick(set("*"), 2, blocks.get(0)::equals)).containsExactly(blocks.get(1));
        p.requestEnded(new Block(0, 5)); // unknown: ignored
        p.checkInvariants();
    }

    @Test
    void availabilityFollowsPeersComingAndGoing() {
        PiecePicker p = picker(3, 1, "   ", "000", 8);
        p.peerHasAll(set("* *"));
        p.peerHasAll(set("***"));
        assertThat(List.of(p.availability(0), p.availability(1), p.availability(2))).containsExactly(2, 1, 2);
        p.peerLost(set("* *"));
        assertThat(List.of(p.availability(0), p.availability(1), p.availability(2))).containsExactly(1, 1, 1);
        assertThat(p.isInteresting(set(" * "))).isTrue();
        p.checkInvariants();
    }

    @Test
    void wantedPiecesRestrictWhatIsPicked() {
        PiecePicker p = picker(4, 1, "    ", "1111", 9);
        p.setWanted(set(" ** "));
        assertThat(pieces(p.pick(set("****"), 10, x -> false))).containsExactlyInAnyOrder(1, 2);
        assertThat(p.isInteresting(set("*  *"))).isFalse();
    }

    /**
     * Random sequences of everything that happens to a picker (peers coming and going, picks, blocks arriving or
     * not, pieces verified, failed, lost, the wanted set changed): its bookkeeping stays consistent after each step,
     * and every piece a pick starts is one the peer has, we need, nobody started, and among the rarest such.
     */
    @Test
    void randomHistoriesKeepTheBookkeepingAndStartOnlyTheRarestStartablePieces() {
        for (long seed = 1; seed <= 30; seed++) {
            Random r = new Random(seed);
            int pieces = 1 + r.nextInt(150);
            int blocks = 1 + r.nextInt(3);
            PiecePicker p = picker(pieces, blocks, "", "", seed);
            BitSet wanted = new BitSet();
            wanted.set(0, pieces);
            List<BitSet> peers = new java.util.ArrayList<>();
            List<Block> outstanding = new java.util.ArrayList<>();
            List<Block> givenUp = new java.util.ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                switch (r.nextInt(11)) {
                    case 0, 1 -> { // a peer comes with some pieces, or announces one more
                        if (peers.isEmpty() || r.nextBoolean()) {
                            BitSet has = new BitSet();
                            for (int i = 0; i < pieces; i++) {
                                if (r.nextInt(4) == 0) {
                                    has.set(i);
                                }
                            }
                            peers.add(has);
                            p.peerHasAll(has);
                        } else {
                            BitSet has = peers.get(r.nextInt(peers.size()));
                            int piece = r.nextInt(pieces);
                            if (!has.get(piece)) {
                                has.set(piece);
                                p.peerHas(piece);
                            }
                        }
                    }
                    case 2 -> { // a peer leaves
                        if (!peers.isEmpty()) {
                            p.peerLost(peers.remove(r.nextInt(peers.size())));
                        }
                    }
                    case 3, 4 -> { // a pick
                        if (peers.isEmpty()) {
                            break;
                        }
                        BitSet has = peers.get(r.nextInt(peers.size()));
                        BitSet startable = p.haveSet();
                        startable.flip(0, pieces);
                        startable.and(wanted);
                        startable.andNot(p.downloadingSet());
                        startable.and(has);
                        BitSet before = p.downloadingSet();
                        List<Block> picked = p.pick(has, 1 + r.nextInt(6), 1 + r.nextInt(8), b -> false);
                        for (Block b : picked) {
                            assertThat(has.get(b.piece())).isTrue();
                            if (!before.get(b.piece())) { // the first block of a piece this pick started
                                int rarest = startable.stream().map(p::availability).min().orElseThrow();
                                assertThat(startable.get(b.piece())).isTrue();
                                assertThat(p.availability(b.piece())).isEqualTo(rarest);
                                startable.clear(b.piece());
                                before.set(b.piece());
                            }
                        }
                        outstanding.addAll(picked);
                    }
                    case 5 -> { // a block arrives; a complete piece verifies or fails
                        if (outstanding.isEmpty()) {
                            break;
                        }
                        Block b = outstanding.remove(r.nextInt(outstanding.size()));
                        if (p.blockReceived(b) == PiecePicker.Received.PIECE_COMPLETE) {
                            if (r.nextInt(5) == 0) {
                                p.pieceFailed(b.piece());
                            } else {
                                p.pieceVerified(b.piece());
                            }
                        }
                    }
                    case 6 -> { // a request ends without data
                        if (!outstanding.isEmpty()) {
                            Block b = outstanding.remove(r.nextInt(outstanding.size()));
                            p.requestEnded(b);
                            givenUp.add(b);
                        }
                    }
                    case 9 -> { // a block whose request ended arrives after all
                        if (!givenUp.isEmpty()) {
                            Block b = givenUp.remove(r.nextInt(givenUp.size()));
                            if (p.lateBlockReceived(b) == PiecePicker.Received.PIECE_COMPLETE) {
                                p.pieceVerified(b.piece());
                            }
                        }
                    }
                    case 10 -> { // the peer of a request that ended speaks again: asked for once more if still free
                        if (!givenUp.isEmpty()) {
                            Block b = givenUp.get(r.nextInt(givenUp.size()));
                            if (p.reclaim(b)) {
                                givenUp.remove(b);
                                outstanding.add(b);
                            }
                        }
                    }
                    case 7 -> { // a verified piece is found damaged
                        int piece = r.nextInt(pieces);
                        p.pieceLost(piece);
                    }
                    default -> { // now and then, another file selection
                        if (r.nextInt(20) == 0) {
                            wanted.clear();
                            for (int i = 0; i < pieces; i++) {
                                if (r.nextInt(3) > 0) {
                                    wanted.set(i);
                                }
                            }
                            p.setWanted(wanted);
                        }
                    }
                }
                p.checkInvariants();
            }
        }
    }
}
