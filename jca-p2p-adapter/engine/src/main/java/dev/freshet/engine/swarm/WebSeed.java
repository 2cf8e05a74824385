package dev.freshet.engine.swarm;

import dev.freshet.engine.metainfo.FileEntry;
import dev.freshet.engine.metainfo.Info;
import dev.freshet.engine.picker.Block;
import dev.freshet.engine.storage.PieceLayout;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A swarm's web seeds (BEP 19 {@code url-list}): when the peers give less than {@link #MIN_PEER_RATE} for
 * {@link #SLOW_NANOS} (none connected, none with what is missing, or all slow), one piece at a time is fetched from
 * the web seed with HTTP range requests, preferring pieces no connected peer has. The piece's blocks are claimed from
 * the picker first, so no peer is asked for them meanwhile, and its bytes go through the same write and hash check as
 * a peer's: a web seed that serves other bytes than the torrent says fails the piece, which is fetched again (from
 * peers, or after {@link #BACKOFF_NANOS}). Requests run on the HTTP client's own threads; results come back to the
 * network thread. Owned by the network thread.
 */
final class WebSeed {
    static final long MIN_PEER_RATE = 256 * 1024;
    static final long SLOW_NANOS = 3_000_000_000L;
    static final long BACKOFF_NANOS = 30_000_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * The HTTP client, built on a web seed's first request (a holder class): building it loads the JDK's trust
     * store and TLS context, a third of a CPU-second that every engine paid on its first stored block when it sat
     * in this class's own initialiser, which {@link #ID} triggers (src/bench/capped-swarm, 8 leechers on 2 cores).
     */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** How the web seed is named where a block's source is recorded (the bans): no peer has this id. */
    static final dev.freshet.engine.wire.PeerId ID = dev.freshet.engine.wire.PeerId.of(
            "-FSWEBSEED-000000000".getBytes(StandardCharsets.US_ASCII));

    private final List<String> urls;
    private boolean banned;
    private final Info info;
    private final PieceLayout layout;
    private boolean busy;
    private long slowSince = -1;
    private long backoffUntil;
    /** The engine's clock at the last tick (the loop's, which a simulation drives): what back-offs count from. */
    private long lastTick;
    private int next;

    WebSeed(List<String> urls, Info info, PieceLayout layout) {
        this.urls = List.copyOf(urls);
        this.info = info;
        this.layout = layout;
    }

    /** It sent blocks that differ from the good ones (the bans' verdict): not asked again in this run. */
    void ban() {
        banned = true;
    }

    /** It failed to answer, or sent bytes that failed a hash check: it is not asked again for a while. */
    void distrust() {
        backoffUntil = lastTick + BACKOFF_NANOS;
    }

    /** A piece claimed for the web seed, and its blocks (those the picker gave out). */
    record Claim(int piece, List<Block> blocks) {
    }

    /** What the network thread gives the web seed: a piece to claim, and where the result goes. */
    interface Host {
        Claim claim();

        void delivered(Claim claim, byte[] piece);

        void failed(Claim claim, String why);

        void execute(Runnable onNetworkThread);

        /** What the peer connections give now, bytes per second. */
        long peerRate();
    }

    /** Once a second while the swarm downloads. */
    void tick(long now, Host host) {
        lastTick = now;
        if (busy || banned || now < backoffUntil) {
            return;
        }
        if (host.peerRate() >= MIN_PEER_RATE) {
            slowSince = -1;
            return;
        }
        if (slowSince < 0) {
            slowSince = now;
        }
        if (now - slowSince < SLOW_NANOS) {
            return;
        }
        fetchNext(host);
    }

    private void fetchNext(Host host) {
        Claim claim = host.claim();
        if (claim == null) {
            return;
        }
        busy = true;
        String url = urls.get(next++ % urls.size());
        fetch(url, claim.piece()).whenComplete((bytes, error) -> host.execute(() -> {
            busy = false;
            if (error != null) {
                distrust();
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                host.failed(claim, url + ": " + cause.getMessage());
            } else {
                host.delivered(claim, bytes);
                if (host.peerRate() < MIN_PEER_RATE) {
                    fetchNext(host); // while the peers stay slow, the next piece at once
                }
            }
        }));
    }

    /** The bytes of {@code piece}, from its files' URLs (a piece may span files), in order. */
    private CompletableFuture<byte[]> fetch(String base, int piece) {
        int size = layout.pieceSize(piece);
        byte[] out = new byte[size];
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int at = 0;
        for (PieceLayout.Segment s : layout.segments(piece, 0, size)) {
            int into = at;
            URI uri = URI.create(fileUrl(base, info.files().get(s.file())));
            chain = chain.thenCompose(v -> range(uri, s.fileOffset(), s.length()).thenAccept(bytes ->
                    System.arraycopy(bytes, 0, out, into, s.length())));
            at += s.length();
        }
        return chain.thenApply(v -> out);
    }

    private static CompletableFuture<byte[]> range(URI uri, long offset, int length) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1)).GET().build();
        return Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            byte[] body = r.body();
            if (r.statusCode() == 206 && body.length == length) {
                return body;
            }
            if (r.statusCode() == 200 && offset == 0 && body.length >= length) {
                return java.util.Arrays.copyOf(body, length); // a server without ranges: the file's start is enough
            }
            throw new IllegalStateException("answered " + r.statusCode() + " with " + body.length + " bytes for "
                    + length + " at " + offset);
        });
    }

    /**
     * BEP 19: for a single-file torrent the URL is the file's (or, ending in {@code /}, its directory's); for a
     * multi-file torrent the URL is the directory that holds the torrent's top directory.
     */
    String fileUrl(String base, FileEntry file) {
        boolean single = info.files().size() == 1 && info.files().get(0).path().size() == 1;
        if (single && !base.endsWith("/")) {
            return base;
        }
        List<String> parts = new ArrayList<>();
        for (String c : file.path()) {
            parts.add(URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return (base.endsWith("/") ? base : base + "/") + String.join("/", parts);
    }
}
