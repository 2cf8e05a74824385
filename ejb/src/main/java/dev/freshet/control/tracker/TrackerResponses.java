package dev.freshet.control.tracker;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.Bencode;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tracker's answers in the BitTorrent protocol's form, bencoded: BEP 3 announce (BEP 23 compact peers unless
 * the client asked otherwise, BEP 7 {@code peers6}), BEP 48 scrape, and the {@code failure reason} of a refusal.
 * The protocol's shape belongs with the tracker; the servlet only carries the bytes over HTTP.
 */
public final class TrackerResponses {
    private TrackerResponses() {
    }

    public static byte[] announce(TrackerAnswer a, boolean compact) {
        Map<String, BValue> d = new TreeMap<>();
        d.put("interval", BValue.of(a.interval()));
        d.put("min interval", BValue.of(a.interval() / 2));
        d.put("complete", BValue.of(a.complete()));
        d.put("incomplete", BValue.of(a.incomplete()));
        if (compact) {
            ByteArrayOutputStream v4 = new ByteArrayOutputStream();
            ByteArrayOutputStream v6 = new ByteArrayOutputStream();
            for (InetSocketAddress p : a.peers()) {
                if (p.getAddress() == null) {
                    continue;
                }
                ByteArrayOutputStream out = p.getAddress() instanceof Inet4Address ? v4 : v6;
                out.writeBytes(p.getAddress().getAddress());
                out.write(p.getPort() >>> 8);
                out.write(p.getPort() & 0xff);
            }
            d.put("peers", BValue.of(v4.toByteArray()));
            if (v6.size() > 0) {
                d.put("peers6", BValue.of(v6.toByteArray()));
            }
        } else {
            List<BValue> list = new ArrayList<>();
            for (InetSocketAddress p : a.peers()) {
                list.add(BValue.BDictionary.of(Map.of("ip", BValue.of(p.getHostString()), "port", BValue.of(p.getPort()))));
            }
            d.put("peers", new BValue.BList(list));
        }
        return Bencode.encode(BValue.BDictionary.of(d));
    }

    /** {@code counts}: by info-hash (hex), seeds, leechers and completed downloads. */
    public static byte[] scrape(Map<String, int[]> counts) {
        Map<String, BValue> files = new TreeMap<>();
        counts.forEach((hash, c) -> files.put(new String(HexFormat.of().parseHex(hash),
                java.nio.charset.StandardCharsets.ISO_8859_1), BValue.BDictionary.of(Map.of("complete", BValue.of(c[0]),
                "incomplete", BValue.of(c[1]), "downloaded", BValue.of(c[2])))));
        return Bencode.encode(BValue.BDictionary.of(Map.of("files", BValue.BDictionary.of(files))));
    }

    public static byte[] failure(String reason) {
        return Bencode.encode(BValue.BDictionary.of(Map.of("failure reason", BValue.of(reason))));
    }
}
