package dev.freshet.web.api;

/**
 * The JSON body of {@code POST /api/swarms}: one of {@code path} (publish a server path), {@code url} (publish what an
 * HTTP(S) origin serves) or {@code magnet} (add), and a policy; when publishing, optionally {@code private} (BEP 27)
 * and {@code pieceLength} (bytes, 0 automatic).
 */
public record AddRequest(String path, String url, String magnet, String policy,
                         @jakarta.json.bind.annotation.JsonbProperty("private") Boolean isPrivate, Integer pieceLength) {
    dev.freshet.control.PublishOptions publishOptions() {
        return new dev.freshet.control.PublishOptions(policy, Boolean.TRUE.equals(isPrivate),
                pieceLength == null ? 0 : pieceLength);
    }
}
