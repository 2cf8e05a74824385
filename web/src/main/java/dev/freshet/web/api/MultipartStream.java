package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) read as it arrives, one part after the other: a part's bytes are
 * handed on as they come, never held whole in memory or in a temporary file. Issue 10, case 8: JAX-RS's multipart
 * support wrote each upload to the JVM's temporary directory first, and the node then copied it, so an upload
 * cost twice its size in disk. Everything but a part's content is bounded: the boundary (70 characters, RFC 2046),
 * a part's header block ({@link #MAX_HEADER_BYTES}), the preamble and the number of parts. Malformed input is an
 * {@link InvalidRequestException} (a 400); nothing here buffers more than {@link #BUFFER} bytes.
 */
public final class MultipartStream {
    static final int BUFFER = 64 * 1024;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_PARTS = 32;
    static final int MAX_PREAMBLE = 8 * 1024;

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private int parts;
    private Part current;
    private boolean finished;

    /** One part: its form field name, its file name when it has one, and its content, readable once. */
    public final class Part {
        private final String name;
        private final String fileName;
        private boolean ended;

        private Part(String name, String fileName) {
            this.name = name;
            this.fileName = fileName;
        }

        public String name() {
            return name;
        }

        /** The {@code filename} of its {@code Content-Disposition}, or null. */
        public String fileName() {
            return fileName;
        }

        /** The content, up to the next boundary. */
        public InputStream body() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return readBody(Part.this, b, off, len);
                }
            };
        }

        /** The content as text, refused when longer than {@code max} bytes (small form fields). */
        public String text(int max) throws IOException {
            byte[] all = body().readNBytes(max + 1);
            if (all.length > max) {
                throw new InvalidRequestException("the form field '" + name + "' is longer than " + max + " bytes");
            }
            return new String(all, StandardCharsets.UTF_8);
        }

        void skip() throws IOException {
            InputStream b = body();
            byte[] sink = new byte[8192];
            while (b.read(sink) >= 0) {
                // discard
            }
        }
    }

    public MultipartStream(InputStream in, String contentType) {
        this.in = in;
        String boundary = boundaryOf(contentType);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        // the first boundary need not follow a line break: one is supplied, so that one search finds every delimiter
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** The {@code boundary} parameter of a {@code multipart/form-data} content type (RFC 2046: 1 to 70 characters). */
    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new InvalidRequestException("the request is not multipart/form-data");
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70 || b.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                    throw new InvalidRequestException("the multipart boundary must be 1 to 70 printable characters");
                }
                return b;
            }
        }
        throw new InvalidRequestException("the multipart content type names no boundary");
    }

    /** The next part, or null after the closing boundary. The previous part's unread content is skipped. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            Part preamble = new Part("", null);
            long skipped = 0;
            InputStream b = preamble.body();
            byte[] sink = new byte[1024];
            for (int n; (n = b.read(sink)) >= 0; ) {
                skipped += n;
                if (skipped > MAX_PREAMBLE) {
                    throw new InvalidRequestException("the multipart body does not start with its boundary");
                }
            }
        } else if (!current.ended) {
            current.skip();
        }
        // after a delimiter: "--" closes the body; otherwise optional blanks and a line break start a part
        if (!fill(2)) {
            throw truncated();
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        while (fill(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!fill(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new InvalidRequestException("the multipart boundary line is malformed");
        }
        pos += 2;
        if (++parts > MAX_PARTS) {
            throw new InvalidRequestException("the multipart body has more than " + MAX_PARTS + " parts");
        }
        String disposition = null;
        int headerBytes = 0;
        while (true) {
            String line = readLine(MAX_HEADER_BYTES - headerBytes);
            headerBytes += line.length() + 2;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                disposition = line.substring(colon + 1).trim();
            }
        }
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new InvalidRequestException("a multipart part has no 'Content-Disposition: form-data' header");
        }
        String name = parameter(disposition, "name");
        if (name == null) {
            throw new InvalidRequestException("a multipart part has no name");
        }
        current = new Part(name, parameter(disposition, "filename"));
        return current;
    }

    /** A parameter of a header value ({@code name="x"} or {@code name=x}); quoted-pair escapes are undone. */
    static String parameter(String header, String wanted) {
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            while (i < header.length() && header.charAt(i) == ' ') {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String key = header.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < header.length() && header.charAt(j) == '"') {
                j++;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                j++; // the closing quote
            } else {
                while (j < header.length() && header.charAt(j) != ';') {
                    value.append(header.charAt(j++));
                }
            }
            if (key.equalsIgnoreCase(wanted)) {
                return value.toString().trim();
            }
            i = header.indexOf(';', j);
        }
        return null;
    }

    private String readLine(int max) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!fill(2)) {
                throw truncated();
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return line.toString();
            }
            line.append((char) (buf[pos++] & 0xff));
            if (line.length() > max) {
                throw new InvalidRequestException("a multipart part's headers are longer than " + MAX_HEADER_BYTES
                        + " bytes");
            }
        }
    }

    private int readBody(Part part, byte[] b, int off, int len) throws IOException {
        if (part != current && current != null || part.ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        fill(delimiter.length);
        int found = indexOfDelimiter();
        if (found == pos) {
            pos += delimiter.length;
            part.ended = true;
            return -1;
        }
        // without a delimiter in sight, all but its length less one byte is content (the rest may begin one);
        // nothing to hand on means fewer bytes than a delimiter were left when the body ended
        int safe = found >= 0 ? found - pos : (lim - pos) - (delimiter.length - 1);
        if (safe <= 0) {
            throw truncated();
        }
        int n = Math.min(len, safe);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    private int indexOfDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Makes at least {@code n} bytes available from {@code pos} unless the body ends first; says whether it did. */
    private boolean fill(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    private static InvalidRequestException truncated() {
        return new InvalidRequestException("the multipart body ends before its closing boundary");
    }
}
