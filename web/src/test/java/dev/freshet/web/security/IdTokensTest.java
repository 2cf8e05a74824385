package dev.freshet.web.security;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ID tokens signed here with the JDK as a provider would, and every way one must be refused. */
class IdTokensTest {
    static final String ISSUER = "http://127.0.0.1:8180/realms/freshet";
    static final String CLIENT = "freshet-console";
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static final KeyPair RSA = pair("RSA", null);
    static final KeyPair OTHER_RSA = pair("RSA", null);
    static final KeyPair EC = pair("EC", "secp256r1");

    static KeyPair pair(String alg, String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (curve != null) {
                g.initialize(new ECGenParameterSpec(curve));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject jwks() {
        RSAPublicKey r = (RSAPublicKey) RSA.getPublic();
        ECPublicKey e = (ECPublicKey) EC.getPublic();
        return Json.createObjectBuilder().add("keys", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("kty", "RSA").add("kid", "r1").add("use", "sig").add("alg", "RS256")
                        .add("n", B64.encodeToString(unsigned(r.getModulus(), 256)))
                        .add("e", B64.encodeToString(r.getPublicExponent().toByteArray())))
                .add(Json.createObjectBuilder().add("kty", "EC").add("kid", "e1").add("crv", "P-256")
                        .add("x", B64.encodeToString(unsigned(e.getW().getAffineX(), 32)))
                        .add("y", B64.encodeToString(unsigned(e.getW().getAffineY(), 32)))))
                .build();
    }

    static byte[] unsigned(BigInteger i, int length) {
        byte[] b = i.toByteArray();
        if (b.length == length) {
            return b;
        }
        byte[] out = new byte[length];
        System.arraycopy(b, Math.max(0, b.length - length), out, Math.max(0, length - b.length), Math.min(b.length, length));
        return out;
    }

    static JsonObjectBuilder claims() {
        return Json.createObjectBuilder().add("iss", ISSUER).add("aud", CLIENT).add("sub", "f3a1")
                .add("preferred_username", "pia").add("exp", NOW.getEpochSecond() + 300)
                .add("iat", NOW.getEpochSecond() - 5).add("nonce", "n-123")
                .add("groups", Json.createArrayBuilder().add("freshet-publishers"));
    }

    static String token(String alg, String kid, JsonObject claims, PrivateKey key) throws Exception {
        JsonObjectBuilder h = Json.createObjectBuilder().add("alg", alg).add("typ", "JWT");
        if (kid != null) {
            h.add("kid", kid);
        }
        String input = B64.encodeToString(h.build().toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] sig;
        if (alg.startsWith("RS")) {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            sig = s.sign();
        } else {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            sig = jose(s.sign());
        }
        return input + "." + B64.encodeToString(sig);
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s } → r || s, 32 bytes each. */
    static byte[] jose(byte[] der) {
        int i = 2 + (der[1] == (byte) 0x81 ? 1 : 0);
        int rLen = der[i + 1];
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, i + 2, i + 2 + rLen));
        int j = i + 2 + rLen;
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, j + 2, j + 2 + der[j + 1]));
        byte[] out = new byte[64];
        System.arraycopy(unsigned(r, 32), 0, out, 0, 32);
        System.arraycopy(unsigned(s, 32), 0, out, 32, 32);
        return out;
    }

    static JsonObject verify(String token) throws IdTokens.Refused {
        return IdTokens.verify(token, jwks(), ISSUER, CLIENT, "n-123", NOW);
    }

    @Test
    void rsaAndEcTokensOfTheProviderVerify() throws Exception {
        assertThat(verify(token("RS256", "r1", claims().build(), RSA.getPrivate())).getString("preferred_username"))
                .isEqualTo("pia");
        assertThat(verify(token("ES256", "e1", claims().build(), EC.getPrivate())).getString("sub")).isEqualTo("f3a1");
        // no kid: every key of the right type is tried
        assertThat(verify(token("RS256", null, claims().build(), RSA.getPrivate())).getString("sub")).isEqualTo("f3a1");
    }

    @Test
    void aSignatureByAnotherKeyOrOverOtherClaimsIsRefused() throws Exception {
        assertRefused(token("RS256", "r1", claims().build(), OTHER_RSA.getPrivate()), "does not verify");
        String good = token("RS256", "r1", claims().build(), RSA.getPrivate());
        String[] p = good.split("\\.");
        String admin = B64.encodeToString(claims().add("groups", Json.createArrayBuilder().add("freshet-admins")).build()
                .toString().getBytes(StandardCharsets.UTF_8));
        assertRefused(p[0] + "." + admin + "." + p[2], "does not verify");
        assertRefused(p[0] + "." + p[1] + ".", "does not verify");
        assertRefused(p[0] + "." + p[1], "not a signed JWT");
        assertRefused("n!t.a.jwt", "base64url");
        assertRefused("bm90.a.jwt", "not JSON");
    }

    @Test
    void unsignedAndHmacTokensAreRefusedWhateverTheyClaim() throws Exception {
        String claims = B64.encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8));
        String none = B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(none + "." + claims + ".", "signed with none");
        // HS256 with the RSA key's public modulus as the secret: the classic algorithm confusion
        String hs = B64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"r1\"}".getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(RSA.getPublic().getEncoded(), "HmacSHA256"));
        String sig = B64.encodeToString(mac.doFinal((hs + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        assertRefused(hs + "." + claims + "." + sig, "signed with HS256");
        // an RSA token that names the EC key: no key of its type under that kid
        assertRefused(token("RS256", "e1", claims().build(), RSA.getPrivate()), "none for RS256 with kid e1");
    }

    @Test
    void claimsThatDoNotHoldAreRefused() throws Exception {
        assertRefused(signed(c -> c.add("iss", "http://127.0.0.1:9/realms/evil")), "issued by");
        assertRefused(signed(c -> c.add("aud", "another-client")), "not meant for client");
        assertRefused(signed(c -> c.add("aud", Json.createArrayBuilder().add(CLIENT).add("x"))), "several audiences");
        assertThat(verify(signed(c -> c.add("aud", Json.createArrayBuilder().add(CLIENT).add("x")).add("azp", CLIENT)))
                .getString("sub")).isEqualTo("f3a1");
        assertRefused(signed(c -> c.add("exp", NOW.getEpochSecond() - IdTokens.SKEW_SECONDS - 1)), "expired");
        assertRefused(signed(c -> c.add("iat", NOW.getEpochSecond() + IdTokens.SKEW_SECONDS + 60)), "in the future");
        assertRefused(signed(c -> c.add("nonce", "another sign-in")), "nonce");
        assertRefused(signed(c -> c.remove("nonce")), "nonce");
        assertRefused(signed(c -> c.remove("exp")), "no exp");
        assertRefused(signed(c -> c.add("sub", "")), "no subject");
    }

    @Test
    void aTokenNamingAKeyTheNodeHasNotSeenAsksForTheKeysAgain() throws Exception {
        assertThat(IdTokens.keyUnknown(token("RS256", "rotated", claims().build(), RSA.getPrivate()), jwks())).isTrue();
        assertThat(IdTokens.keyUnknown(token("RS256", "r1", claims().build(), RSA.getPrivate()), jwks())).isFalse();
        assertThat(IdTokens.keyUnknown("garbage", jwks())).isFalse();
    }

    @Test
    void groupsClaimsAreReadAsNamesAndPaths() {
        assertThat(OpenIdProvider.groups(Json.createArrayBuilder().add("/freshet/admins").add("ops").add(3).build()))
                .containsExactly("/freshet/admins", "ops", "admins");
        assertThat(OpenIdProvider.groups(Json.createValue("freshet-viewers"))).containsExactly("freshet-viewers");
        assertThat(OpenIdProvider.groups(null)).isEmpty();
    }

    private static String signed(Consumer<JsonObjectBuilder> change) throws Exception {
        JsonObjectBuilder c = claims();
        change.accept(c);
        return token("RS256", "r1", c.build(), RSA.getPrivate());
    }

    private static void assertRefused(String token, String why) {
        assertThatThrownBy(() -> verify(token)).isInstanceOf(IdTokens.Refused.class).hasMessageContaining(why);
    }
}
