package dev.freshet.web.files;

import dev.freshet.control.files.FileDownloads;
import dev.freshet.control.files.FileSource;
import dev.freshet.web.api.Problem;
import dev.freshet.web.api.ProblemMapper;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /files/{infoHash}/{path}} (issue 17): a swarm's file over plain HTTP, for curl, wget and deployment
 * scripts, with {@code Range} (one range), {@code ETag}, {@code If-None-Match}, {@code If-Range} and
 * {@code Content-Length}. A swarm this node does not hold yet but the cluster publishes is fetched by P2P on demand
 * and streamed as its pieces are verified: a client never gets an unverified byte, and a range waits for its pieces.
 * Credentials as for the API's reads ({@code web.xml}). Writes are non-blocking: a response waiting for pieces, or
 * for a slow client, holds no thread (it is looked at again every {@link #WAIT_MILLIS} ms, or when the client can
 * take more).
 */
@WebServlet(urlPatterns = "/files/*", asyncSupported = true)
public class FilesServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(FilesServlet.class.getName());
    static final long WAIT_MILLIS = 100;
    /** A response whose next piece has not come for this long is cut (the swarm has no source reachable). */
    static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int BUFFER = 64 * 1024;

    @EJB
    FileDownloads downloads;
    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        if (hasDotSegment(request.getRequestURI())) {
            // the container resolves them before the path reaches us; a client that sends them gets told, not guessed
            problem(response, 400, "Bad Request", "a file's path has no '.' or '..' components");
            return;
        }
        String info = request.getPathInfo();
        int slash = info == null ? -1 : info.indexOf('/', 1);
        if (slash < 0) {
            problem(response, 404, "Not Found", "a file is at /files/{infoHash}/{path of the file in the swarm}");
            return;
        }
        FileSource source;
        try {
            source = downloads.open(info.substring(1, slash), info.substring(slash + 1));
        } catch (RuntimeException e) {
            // the API's own mapping of the control plane's refusals: 400, 404, 409, 503, ...
            Problem p = (Problem) new ProblemMapper().toResponse(e).getEntity();
            problem(response, p.status(), p.title(), p.detail());
            return;
        }
        String etag = source.etag();
        response.setHeader("ETag", etag);
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("Cache-Control", "private");
        String inm = request.getHeader("If-None-Match");
        if (inm != null && (inm.strip().equals("*") || java.util.Arrays.stream(inm.split(","))
                .map(String::strip).map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(etag::equals))) {
            source.close();
            response.setStatus(304);
            return;
        }
        String rangeHeader = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        if (ifRange != null && !ifRange.strip().equals(etag)) {
            rangeHeader = null; // the client's copy is another one: it gets the whole file
        }
        ByteRange range = ByteRange.of(rangeHeader, source.length());
        if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
            source.close();
            response.setHeader("Content-Range", "bytes */" + source.length());
            problem(response, 416, "Range Not Satisfiable", "the file has " + source.length()
                    + " bytes; a range is bytes=first-last (from 0), bytes=first- or bytes=-n (the last n > 0 bytes)");
            return;
        }
        response.setContentType("application/octet-stream");
        response.setHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                + URLEncoder.encode(source.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        if (range.kind() == ByteRange.Kind.PART) {
            response.setStatus(206);
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + source.length());
        }
        response.setContentLengthLong(range.size());
        if (!body || range.size() == 0) {
            source.close();
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // as long as the pieces take; a stall is cut by the pump
        ServletOutputStream out = response.getOutputStream();
        out.setWriteListener(new Pump(async, out, source, range.first(), range.last() + 1));
    }

    /** Writes verified bytes while the client takes them; waits for pieces without holding a thread. */
    private final class Pump implements WriteListener {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final FileSource source;
        private final long end;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private long position;
        private long progressedAt = System.nanoTime();
        private boolean done;

        Pump(AsyncContext async, ServletOutputStream out, FileSource source, long from, long end) {
            this.async = async;
            this.out = out;
            this.source = source;
            this.position = from;
            this.end = end;
        }

        @Override
        public void onWritePossible() {
            pump();
        }

        @Override
        public void onError(Throwable t) {
            finish(); // the client went away
        }

        private synchronized void pump() {
            if (done) {
                return;
            }
            try {
                while (out.isReady()) {
                    if (position >= end) {
                        finish();
                        return;
                    }
                    long readable = source.readable(position);
                    if (readable == 0) {
                        wait(source.failure().orElse(null));
                        return;
                    }
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), Math.min(readable, end - position)));
                    int n = source.read(position, buffer);
                    out.write(buffer.array(), 0, n);
                    position += n;
                    progressedAt = System.nanoTime();
                }
                // not ready: the container calls onWritePossible when the client can take more
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "an HTTP download of " + source.path() + " ended early", e);
                finish();
            }
        }

        private void wait(String failure) {
            if (failure != null || System.nanoTime() - progressedAt > STALL_NANOS) {
                LOG.log(System.Logger.Level.WARNING, "Freshet cut the HTTP download of {0} at byte {1} of {2}: {3}",
                        source.path(), position, end, failure != null ? failure : "no piece came for 10 minutes");
                finish(); // fewer bytes than Content-Length: the client knows it is incomplete
                return;
            }
            try {
                scheduler.schedule(this::pump, WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException shuttingDown) {
                finish();
            }
        }

        private void finish() {
            if (!done) {
                done = true;
                source.close();
                try {
                    async.complete();
                } catch (RuntimeException alreadyOver) {
                    // the container ended the request itself (client gone)
                }
            }
        }
    }

    /** Whether the request's own URI (as sent, before the container resolves it) has a {@code .} or {@code ..}. */
    static boolean hasDotSegment(String rawUri) {
        if (rawUri == null) {
            return false;
        }
        String decoded = java.net.URLDecoder.decode(rawUri.replace("+", "%2B"), StandardCharsets.UTF_8);
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static void problem(HttpServletResponse response, int status, String title, String detail) {
        Problem.write(response, status, title, detail);
    }
}
