package dev.freshet.control.offices;

/**
 * What one node moved over its office's WAN link: bytes per second over the last second, in and out; whether its
 * share held it back ({@code inHeld}, {@code outHeld}: it wanted more); the bytes in and out since its engine started;
 * its share now (bytes per second, 0 = none); when it reported (epoch millis).
 */
public record WanReport(String memberId, String office, long inRate, long outRate, boolean inHeld, boolean outHeld,
                        long bytesIn, long bytesOut, long inShare, long outShare, long at) {

    String text() {
        return String.join(" ", memberId, office, Long.toString(inRate), Long.toString(outRate), inHeld ? "1" : "0",
                outHeld ? "1" : "0", Long.toString(bytesIn), Long.toString(bytesOut), Long.toString(inShare),
                Long.toString(outShare), Long.toString(at));
    }

    /** A report read back from {@link #text}; null when the text is not one (whoever wrote it). */
    static WanReport parse(String text) {
        try {
            String[] f = text.split(" ");
            if (f.length != 11) {
                return null;
            }
            return new WanReport(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), "1".equals(f[4]),
                    "1".equals(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Long.parseLong(f[9]), Long.parseLong(f[10]));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
