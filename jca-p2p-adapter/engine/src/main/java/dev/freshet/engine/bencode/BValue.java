package dev.freshet.engine.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A bencoded value: a byte string, an integer, a list or a dictionary. Immutable. */
public sealed interface BValue permits BValue.BString, BValue.BInteger, BValue.BList, BValue.BDictionary {

    static BString of(String utf8) {
        return new BString(utf8.getBytes(StandardCharsets.UTF_8));
    }

    static BString of(byte[] bytes) {
        return new BString(bytes);
    }

    static BInteger of(long value) {
        return new BInteger(value);
    }

    /** A byte string; bencode strings are bytes, text is a reading of them. */
    record BString(byte[] bytes) implements BValue {
        public BString {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        public String utf8() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The bytes as a key string (one char per byte). */
        public String latin1() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            boolean printable = true;
            for (byte b : bytes) {
                if (b < 0x20 || b > 0x7e) {
                    printable = false;
                    break;
                }
            }
            return printable ? '"' + latin1() + '"' : "0x" + HexFormat.of().formatHex(bytes);
        }
    }

    record BInteger(long value) implements BValue {
    }

    record BList(List<BValue> values) implements BValue {
        public BList {
            values = List.copyOf(values);
        }
    }

    /** A dictionary; keys are raw byte strings held as ISO-8859-1 text, iterated in byte order. */
    record BDictionary(SortedMap<String, BValue> entries) implements BValue {
        public BDictionary {
            entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
        }

        public static BDictionary of(Map<String, BValue> entries) {
            return new BDictionary(new TreeMap<>(entries));
        }

        public Optional<BValue> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        public Optional<BString> string(String key) {
            return get(key).map(v -> v instanceof BString s ? s : null);
        }

        public Optional<Long> integer(String key) {
            return get(key).map(v -> v instanceof BInteger i ? i.value() : null);
        }

        public Optional<BList> list(String key) {
            return get(key).map(v -> v instanceof BList l ? l : null);
        }

        public Optional<BDictionary> dictionary(String key) {
            return get(key).map(v -> v instanceof BDictionary d ? d : null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BDictionary other && entries.equals(other.entries);
        }

        @Override
        public int hashCode() {
            return Objects.hash(entries);
        }
    }
}
