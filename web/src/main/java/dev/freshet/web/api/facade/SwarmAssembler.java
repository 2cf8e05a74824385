package dev.freshet.web.api.facade;

import dev.freshet.control.NodeSwarm;
import dev.freshet.control.directory.MemberEntry;

import java.util.Base64;
import java.util.BitSet;
import java.util.List;

/** {@link NodeSwarm} to {@link SwarmDto}: the one place that decides the swarm's JSON shape. */
public final class SwarmAssembler {
    private SwarmAssembler() {
    }

    /**
     * {@code withKeys}: whether the caller may have private swarms' keys (an admin). Without, a private swarm's
     * magnet link is left out (BEP 27: its tracker URLs carry the key, which admits a client to the swarm).
     */
    public static SwarmDto toDto(NodeSwarm s, boolean withKeys) {
        List<SwarmDto.PeerDto> peers = s.peers().stream().map(p -> new SwarmDto.PeerDto(p.address(), p.client(),
                p.member().map(MemberEntry::name).orElse(null), p.member().map(MemberEntry::office).orElse(null),
                p.seed(), p.progress(), p.downloadRate(), p.uploadRate(), p.outgoing(), flags(p), p.encryption())).toList();
        var detail = s.detail();
        return new SwarmDto(s.hex(), s.name(), s.size(), s.pieces(), s.pieceLength(), s.verifiedPieces(),
                s.progress(), s.state().label(), s.downloadRate(), s.uploadRate(), s.downloaded(), s.uploaded(),
                s.downloadedThisRun(), bitfield(s.verified(), s.pieces()), peers.size(), peers, s.savePath(),
                s.policy().toString(), s.isPrivate() && !withKeys ? null : s.magnet(), String.valueOf(s.addedAt()),
                s.completedAt() == null ? null : s.completedAt().toString(), s.error(), s.isPrivate(),
                detail.map(d -> d.files().stream().map(f -> new SwarmDto.FileDto(f.path(), f.size(), f.progress()))
                        .toList()).orElse(List.of()),
                detail.map(d -> bitfield(d.downloading(), s.pieces())).orElse(null),
                detail.map(d -> Base64.getEncoder().encodeToString(d.availability())).orElse(null),
                s.wanDownloadedThisRun(), s.wanUploadedThisRun(),
                s.size() == 0 ? 0 : (double) s.wanDownloadedThisRun() / s.size(), s.owner());
    }

    public static List<SwarmDto> toDtos(List<NodeSwarm> swarms, boolean withKeys) {
        return swarms.stream().map(s -> toDto(s, withKeys)).toList();
    }

    /** BEP 3 order: piece 0 is the high bit of byte 0; base64. */
    static String bitfield(BitSet pieces, int count) {
        byte[] bytes = new byte[(count + 7) / 8];
        for (int i = pieces.nextSetBit(0); i >= 0 && i < count; i = pieces.nextSetBit(i + 1)) {
            bytes[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String flags(NodeSwarm.Peer p) {
        StringBuilder f = new StringBuilder();
        if (p.amInterested()) {
            f.append(p.peerChoking() ? 'd' : 'D');
        }
        if (p.peerInterested()) {
            f.append(p.amChoking() ? 'u' : 'U');
        }
        if (!p.outgoing()) {
            f.append('I');
        }
        if (p.seed()) {
            f.append('S');
        }
        return f.toString();
    }
}
