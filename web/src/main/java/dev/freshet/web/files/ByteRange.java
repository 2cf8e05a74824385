package dev.freshet.web.files;

/**
 * What a {@code Range} header asks of a representation of {@code length} bytes (RFC 9110, section 14): the whole
 * of it ({@link Kind#WHOLE}: no header, another unit, several ranges or a malformed one, which a server may ignore),
 * one range {@code first..last} inclusive ({@link Kind#PART}: a last position past the end is cut to the end; a
 * suffix {@code -n} means the last n bytes), or nothing it can give ({@link Kind#UNSATISFIABLE}: 416, e.g. a first
 * position at or past the end, or {@code bytes=-0}).
 */
public record ByteRange(Kind kind, long first, long last) {
    public enum Kind { WHOLE, PART, UNSATISFIABLE }

    private static final java.util.regex.Pattern ONE =
            java.util.regex.Pattern.compile("bytes=(\\d*)-(\\d*)", java.util.regex.Pattern.CASE_INSENSITIVE);

    public static ByteRange of(String header, long length) {
        if (header == null) {
            return whole(length);
        }
        java.util.regex.Matcher m = ONE.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return whole(length); // another unit, several ranges, or not a range at all: ignored
        }
        if (m.group(1).isEmpty()) { // the last n bytes
            long n = number(m.group(2));
            if (n == 0 || length == 0) {
                return new ByteRange(Kind.UNSATISFIABLE, 0, -1);
            }
            return new ByteRange(Kind.PART, Math.max(0, length - n), length - 1);
        }
        long first = number(m.group(1));
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : number(m.group(2));
        if (last < first) {
            return whole(length); // invalid: ignored
        }
        if (first >= length) {
            return new ByteRange(Kind.UNSATISFIABLE, 0, -1);
        }
        return new ByteRange(Kind.PART, first, Math.min(last, length - 1));
    }

    private static ByteRange whole(long length) {
        return new ByteRange(Kind.WHOLE, 0, length - 1);
    }

    /** Digits as a number; more than fits a long is as good as infinite here. */
    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    /** How many bytes the answer carries. */
    public long size() {
        return kind == Kind.UNSATISFIABLE ? 0 : last - first + 1;
    }
}
