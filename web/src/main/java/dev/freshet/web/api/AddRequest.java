package dev.freshet.web.api;

/**
 * The JSON body of {@code POST /api/swarms}: either {@code path} (publish) or {@code magnet} (add), and a
 * policy; when publishing, optionally {@code private} (BEP 27) and {@code pieceLength} (bytes, 0 automatic).
 */
public record AddRequest(String path, String magnet, String policy,
                         @jakarta.json.bind.annotation.JsonbProperty("private") Boolean isPrivate, Integer pieceLength) {
    dev.freshet.control.PublishOptions publishOptions() {
        return new dev.freshet.control.PublishOptions(policy, Boolean.TRUE.equals(isPrivate),
                pieceLength == null ? 0 : pieceLength);
    }
}
