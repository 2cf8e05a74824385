package dev.freshet.engine.wire;

import dev.freshet.engine.bencode.BValue;
import dev.freshet.engine.bencode.BValue.BDictionary;
import dev.freshet.engine.bencode.BValue.BString;
import dev.freshet.engine.bencode.Bencode;
import dev.freshet.engine.bencode.BencodeException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The BEP 10 extension handshake (extended message 0): which extensions a peer speaks and the ids it
 * chose for them ({@code m}), its client name ({@code v}), request queue depth ({@code reqq}), listen
 * port ({@code p}) and metadata size (BEP 9). Unknown keys are ignored.
 */
public record ExtensionHandshake(Map<String, Integer> extensions, Optional<String> client, Optional<Integer> requestQueue,
                                 Optional<Integer> listenPort, Optional<Long> metadataSize) {
    public ExtensionHandshake {
        extensions = Map.copyOf(extensions);
    }

    public static ExtensionHandshake parse(byte[] payload) {
        BValue v;
        try {
            v = Bencode.decode(payload);
        } catch (BencodeException e) {
            throw new ProtocolException("malformed extension handshake: " + e.getMessage());
        }
        if (!(v instanceof BDictionary d)) {
            throw new ProtocolException("extension handshake is not a dictionary");
        }
        Map<String, Integer> m = new HashMap<>();
        d.dictionary("m").ifPresent(md -> md.entries().forEach((name, id) -> {
            if (id instanceof BValue.BInteger i && i.value() > 0 && i.value() <= 255) {
                m.put(name, (int) i.value());
            }
        }));
        Optional<Integer> reqq = d.integer("reqq").filter(q -> q > 0).map(q -> (int) Math.min(q, 100_000));
        Optional<Integer> port = d.integer("p").filter(p -> p > 0 && p <= 0xffff).map(Long::intValue);
        Optional<Long> metadataSize = d.integer("metadata_size").filter(s -> s > 0);
        return new ExtensionHandshake(m, d.string("v").map(BString::utf8), reqq, port, metadataSize);
    }

    public byte[] encode() {
        Map<String, BValue> d = new TreeMap<>();
        Map<String, BValue> m = new TreeMap<>();
        extensions.forEach((k, id) -> m.put(k, BValue.of(id)));
        d.put("m", BDictionary.of(m));
        client.ifPresent(c -> d.put("v", BValue.of(c)));
        requestQueue.ifPresent(q -> d.put("reqq", BValue.of(q)));
        listenPort.ifPresent(p -> d.put("p", BValue.of(p)));
        metadataSize.ifPresent(s -> d.put("metadata_size", BValue.of(s)));
        return Bencode.encode(BDictionary.of(d));
    }
}
