package dev.freshet.control;

/**
 * How to publish: the policy (null: {@code all}), the BEP 27 private flag, the piece length in bytes
 * (0: automatic, else a power of two from 16 KiB to 64 MiB), and on whose behalf ({@code owner}: a user or
 * {@code token:<id>}, who may then steer the swarm; null: nobody in particular).
 */
public record PublishOptions(String policy, boolean privateSwarm, int pieceLength, String owner) {
    public PublishOptions(String policy, boolean privateSwarm, int pieceLength) {
        this(policy, privateSwarm, pieceLength, null);
    }

    /** The same options, on behalf of {@code who}. */
    public PublishOptions by(String who) {
        return new PublishOptions(policy, privateSwarm, pieceLength, who);
    }

    public static final int MIN_PIECE = 16 * 1024;
    public static final int MAX_PIECE = 64 * 1024 * 1024;

    public PublishOptions {
        if (pieceLength != 0 && (pieceLength < MIN_PIECE || pieceLength > MAX_PIECE || Integer.bitCount(pieceLength) != 1)) {
            throw new InvalidRequestException("pieceLength must be 0 (automatic) or a power of two from 16384 to "
                    + MAX_PIECE + " bytes, not " + pieceLength);
        }
    }

    public static PublishOptions defaults() {
        return new PublishOptions(null, false, 0);
    }

    /** From request texts: {@code private} true/false, {@code pieceLength} in bytes; null or blank for defaults. */
    public static PublishOptions parse(String policy, String privateText, String pieceLengthText) {
        boolean isPrivate = false;
        if (privateText != null && !privateText.isBlank()) {
            if (!privateText.equalsIgnoreCase("true") && !privateText.equalsIgnoreCase("false")) {
                throw new InvalidRequestException("'private' must be true or false, not '" + privateText + "'");
            }
            isPrivate = Boolean.parseBoolean(privateText);
        }
        int pieceLength = 0;
        if (pieceLengthText != null && !pieceLengthText.isBlank()) {
            try {
                pieceLength = Integer.parseInt(pieceLengthText.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("'pieceLength' must be a number of bytes, not '" + pieceLengthText + "'");
            }
        }
        return new PublishOptions(policy, isPrivate, pieceLength);
    }
}
