package dev.freshet.web.api;

/** The JSON body of {@code POST /api/swarms}: either {@code path} (publish) or {@code magnet} (add), and a policy. */
public record AddRequest(String path, String magnet, String policy) {
}
