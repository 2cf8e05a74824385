package dev.freshet.engine.bencode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BencodeTest {

    private static BValue decode(String s) {
        return Bencode.decode(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesEveryKindOfValue() {
        BValue v = decode("d4:listli1ei-2e0:e3:num i42e".replace(" ", "") + "3:str4:spame");
        assertThat(v).isInstanceOf(BValue.BDictionary.class);
        BValue.BDictionary d = (BValue.BDictionary) v;
        assertThat(d.integer("num")).contains(42L);
        assertThat(d.string("str").orElseThrow().utf8()).isEqualTo("spam");
        assertThat(d.list("list").orElseThrow().values())
                .containsExactly(BValue.of(1), BValue.of(-2), BValue.of(new byte[0]));
    }

    @Test
    void acceptsTheEmptyKeyThatBep52FileTreesUse() {
        BValue.BDictionary d = (BValue.BDictionary) decode("d0:i1ee");
        assertThat(d.integer("")).contains(1L);
    }

    @Test
    void decodesTheExtremesOfSixtyFourBitIntegers() {
        assertThat(decode("i9223372036854775807e")).isEqualTo(BValue.of(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(BValue.of(Long.MIN_VALUE));
    }

    @Test
    void encodesDictionariesWithKeysInByteOrder() {
        BValue.BDictionary d = BValue.BDictionary.of(Map.of("b", BValue.of(2), "a", BValue.of(1), "\u00ff", BValue.of(3)));
        assertThat(new String(Bencode.encode(d), StandardCharsets.ISO_8859_1)).isEqualTo("d1:ai1e1:bi2e1:\u00ffi3ee");
    }

    @Test
    void capturesTheExactBytesOfATopLevelEntry() {
        byte[] input = "d4:infod1:ai1ee4:zzzzi0ee".getBytes(StandardCharsets.US_ASCII);
        Bencode.Captured c = Bencode.decodeCapturing(input, "info");
        assertThat(new String(c.raw().orElseThrow(), StandardCharsets.US_ASCII)).isEqualTo("d1:ai1ee");
    }

    @Test
    void capturesOnlyAtTheTopLevel() {
        byte[] input = "d1:ad4:infoi1eee".getBytes(StandardCharsets.US_ASCII);
        assertThat(Bencode.decodeCapturing(input, "info").raw()).isEmpty();
    }

    /** The corpus of broken inputs: each must fail with a BencodeException at the given offset. */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "''              | 0 | unexpected end of input",
            "i               | 1 | unterminated integer",
            "ie              | 0 | integer without digits",
            "i-e             | 0 | integer without digits",
            "i03e            | 0 | leading zero",
            "i-0e            | 0 | negative zero",
            "i1.5e           | 2 | in integer",
            "i99999999999999999999e | 0 | 64-bit range",
            "i9223372036854775808e | 0 | 64-bit range",
            "5:abc           | 0 | runs past the end",
            "03:abc          | 0 | leading zero",
            "3abc            | 1 | not followed by ':'",
            "-3:abc          | 0 | unexpected byte",
            "l               | 1 | unterminated list",
            "li1e            | 4 | unterminated list",
            "d               | 1 | unterminated dictionary",
            "d1:a            | 4 | unexpected end of input",
            "di1ei2ee        | 1 | key must be a byte string",
            "d1:bi1e1:ai2ee  | 7 | not sorted",
            "d1:ai1e1:ai2ee  | 7 | duplicate",
            "i1ei2e          | 3 | after the root value",
            "4:spamx         | 6 | after the root value",
            "x               | 0 | unexpected byte",
            "e               | 0 | unexpected byte",
    })
    void refusesMalformedInput(String input, long offset, String message) {
        assertThatThrownBy(() -> decode(input))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(offset));
    }

    @Test
    void refusesNestingBeyondTheLimit() {
        String deep = "l".repeat(Bencode.DEFAULT_MAX_DEPTH + 1) + "e".repeat(Bencode.DEFAULT_MAX_DEPTH + 1);
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(BencodeException.class).hasMessageContaining("nesting");
        String ok = "l".repeat(Bencode.DEFAULT_MAX_DEPTH) + "e".repeat(Bencode.DEFAULT_MAX_DEPTH);
        assertThat(decode(ok)).isInstanceOf(BValue.BList.class);
    }

    @Test
    void refusesAHugeDeclaredStringLengthWithoutAllocating() {
        assertThatThrownBy(() -> decode("2147483647:x")).isInstanceOf(BencodeException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> decode("99999999999:x")).isInstanceOf(BencodeException.class).hasMessageContaining("too large");
    }

    @Property(tries = 300)
    void encodeThenDecodeIsIdentity(@ForAll("values") BValue value) {
        byte[] encoded = Bencode.encode(value);
        assertThat(Bencode.decode(encoded)).isEqualTo(value);
        assertThat(Bencode.encode(Bencode.decode(encoded))).isEqualTo(encoded);
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailCleanly(@ForAll byte[] input) {
        try {
            BValue v = Bencode.decode(input);
            // strict decoding accepts only canonical encodings: re-encoding gives the input back
            assertThat(Bencode.encode(v)).isEqualTo(input);
        } catch (BencodeException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) input.length);
        }
    }

    @Property(tries = 500)
    void mutatedValidInputDecodesOrFailsCleanly(@ForAll("values") BValue value, @ForAll int position, @ForAll byte b) {
        byte[] encoded = Bencode.encode(value);
        encoded[Math.floorMod(position, encoded.length)] = b;
        try {
            assertThat(Bencode.encode(Bencode.decode(encoded))).isEqualTo(encoded);
        } catch (BencodeException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) encoded.length);
        }
    }

    @Provide
    Arbitrary<BValue> values() {
        return valuesOfDepth(3);
    }

    private static Arbitrary<BValue> valuesOfDepth(int depth) {
        Arbitrary<BValue> leaf = Arbitraries.oneOf(
                Arbitraries.longs().map(BValue::of),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(BValue::of));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<BValue> inner = valuesOfDepth(depth - 1);
        return Arbitraries.oneOf(leaf,
                inner.list().ofMaxSize(4).map(l -> (BValue) new BValue.BList(l)),
                Arbitraries.maps(Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(6), inner)
                        .ofMaxSize(4).map(m -> (BValue) BValue.BDictionary.of(m)));
    }

    @Test
    void listOfValuesRoundTrips() {
        BValue v = new BValue.BList(List.of(BValue.of("a"), BValue.of(0)));
        assertThat(decode("l1:ai0ee")).isEqualTo(v);
    }
}
