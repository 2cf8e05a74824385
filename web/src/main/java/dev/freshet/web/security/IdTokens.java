package dev.freshet.web.security;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Checks an OpenID Connect ID token (a JWS in compact form, RFC 7515) the way OpenID Connect Core 3.1.3.7 asks: the
 * signature by a key of the provider's JWK set, with an algorithm this node accepts (RS256/384/512, ES256/384/512;
 * never {@code none} nor an HMAC, whose key would be the client secret), then {@code iss}, {@code aud}, {@code azp},
 * {@code exp}, {@code iat} and {@code nonce}. The JDK's own signature classes do the cryptography.
 */
public final class IdTokens {
    /** JOSE algorithm → the JDK's signature algorithm, and for EC the curve and the size of R and S. */
    private record Alg(String jca, String kty, String curve, int half) {
    }

    private static final Map<String, Alg> ALGORITHMS = Map.of(
            "RS256", new Alg("SHA256withRSA", "RSA", null, 0),
            "RS384", new Alg("SHA384withRSA", "RSA", null, 0),
            "RS512", new Alg("SHA512withRSA", "RSA", null, 0),
            "ES256", new Alg("SHA256withECDSA", "EC", "P-256", 32),
            "ES384", new Alg("SHA384withECDSA", "EC", "P-384", 48),
            "ES512", new Alg("SHA512withECDSA", "EC", "P-521", 66));
    /** Clocks of the provider and the node may differ by this much. */
    static final long SKEW_SECONDS = 60;

    /** Why an ID token is refused; the message says what did not hold. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Whether the token names a key ({@code kid}) that {@code jwks} lacks: the provider may have rotated its keys. */
    public static boolean keyUnknown(String token, JsonObject jwks) {
        try {
            JsonObject header = part(token.split("\\.", -1)[0]);
            String kid = header.getString("kid", null);
            return kid != null && jwks.getJsonArray("keys").stream().map(JsonValue::asJsonObject)
                    .noneMatch(k -> kid.equals(k.getString("kid", null)));
        } catch (RuntimeException | Refused e) {
            return false;
        }
    }

    /** The claims of {@code token} once every check holds. */
    public static JsonObject verify(String token, JsonObject jwks, String issuer, String clientId, String nonce,
                                    Instant now) throws Refused {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("the ID token is not a signed JWT (" + parts.length + " parts)");
        }
        JsonObject header = part(parts[0]);
        String algName = header.getString("alg", "");
        Alg alg = ALGORITHMS.get(algName);
        if (alg == null) {
            throw new Refused("the ID token is signed with " + (algName.isEmpty() ? "no algorithm" : algName)
                    + "; this node accepts " + ALGORITHMS.keySet().stream().sorted().toList());
        }
        if (header.containsKey("crit")) {
            throw new Refused("the ID token has critical header parameters this node does not know");
        }
        String kid = header.getString("kid", null);
        boolean verified = false;
        boolean candidate = false;
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(parts[2], "signature");
        for (JsonValue v : keys(jwks)) {
            JsonObject jwk = v.asJsonObject();
            if (!alg.kty().equals(jwk.getString("kty", "")) || (kid != null && !kid.equals(jwk.getString("kid", null)))
                    || "enc".equals(jwk.getString("use", "sig"))
                    || (jwk.containsKey("alg") && !algName.equals(jwk.getString("alg", "")))) {
                continue;
            }
            candidate = true;
            try {
                Signature s = Signature.getInstance(alg.jca());
                s.initVerify(publicKey(jwk, alg));
                s.update(signed);
                byte[] sig = alg.half() == 0 ? signature : der(signature, alg.half());
                if (sig != null && s.verify(sig)) {
                    verified = true;
                    break;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // a malformed key or signature: it does not verify; try the next key
            }
        }
        if (!candidate) {
            throw new Refused("the provider's keys hold none for " + algName + (kid == null ? "" : " with kid " + kid));
        }
        if (!verified) {
            throw new Refused("the ID token's signature does not verify");
        }
        JsonObject claims = part(parts[1]);
        if (!issuer.equals(claims.getString("iss", null))) {
            throw new Refused("the ID token was issued by " + claims.getString("iss", "nobody") + ", not " + issuer);
        }
        JsonValue aud = claims.get("aud");
        boolean forUs = aud instanceof JsonString s ? s.getString().equals(clientId)
                : aud instanceof JsonArray a && a.stream().anyMatch(x -> x instanceof JsonString s && s.getString().equals(clientId));
        if (!forUs) {
            throw new Refused("the ID token is not meant for client " + clientId);
        }
        if (aud instanceof JsonArray a && a.size() > 1 && !clientId.equals(claims.getString("azp", null))) {
            throw new Refused("the ID token has several audiences and is not authorized for client " + clientId);
        }
        long exp = number(claims, "exp");
        if (now.getEpochSecond() > exp + SKEW_SECONDS) {
            throw new Refused("the ID token expired at " + Instant.ofEpochSecond(exp));
        }
        long iat = number(claims, "iat");
        if (iat > now.getEpochSecond() + SKEW_SECONDS) {
            throw new Refused("the ID token was issued in the future (" + Instant.ofEpochSecond(iat) + ")");
        }
        if (nonce == null || !nonce.equals(claims.getString("nonce", null))) {
            throw new Refused("the ID token does not carry the nonce of this sign-in (a replayed token?)");
        }
        if (claims.getString("sub", "").isEmpty()) {
            throw new Refused("the ID token names no subject");
        }
        return claims;
    }

    private static JsonArray keys(JsonObject jwks) throws Refused {
        JsonValue keys = jwks.get("keys");
        if (!(keys instanceof JsonArray a)) {
            throw new Refused("the provider's JWK set has no keys");
        }
        return a;
    }

    private static long number(JsonObject claims, String name) throws Refused {
        if (!(claims.get(name) instanceof JsonNumber n)) {
            throw new Refused("the ID token has no " + name);
        }
        return n.longValue();
    }

    private static JsonObject part(String encoded) throws Refused {
        String json = new String(decode(encoded, "part"), StandardCharsets.UTF_8);
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        } catch (RuntimeException e) {
            throw new Refused("the ID token is not JSON: " + e.getMessage());
        }
    }

    private static byte[] decode(String encoded, String what) throws Refused {
        try {
            return Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new Refused("the ID token's " + what + " is not base64url");
        }
    }

    private static PublicKey publicKey(JsonObject jwk, Alg alg) throws GeneralSecurityException {
        Base64.Decoder d = Base64.getUrlDecoder();
        if (alg.kty().equals("RSA")) {
            BigInteger n = new BigInteger(1, d.decode(jwk.getString("n")));
            if (n.bitLength() < 2048) {
                throw new GeneralSecurityException("an RSA key of " + n.bitLength() + " bits is too weak");
            }
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n,
                    new BigInteger(1, d.decode(jwk.getString("e")))));
        }
        if (!alg.curve().equals(jwk.getString("crv", ""))) {
            throw new GeneralSecurityException("the key's curve is not " + alg.curve());
        }
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(switch (alg.curve()) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            default -> "secp521r1";
        }));
        ECPoint point = new ECPoint(new BigInteger(1, d.decode(jwk.getString("x"))),
                new BigInteger(1, d.decode(jwk.getString("y"))));
        // the JDK checks that the point lies on the curve when it verifies
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point,
                params.getParameterSpec(ECParameterSpec.class)));
    }

    /** A JOSE ECDSA signature (R and S, each {@code half} bytes) as the DER sequence the JDK verifies; null if malformed. */
    static byte[] der(byte[] jose, int half) {
        if (jose.length != 2 * half) {
            return null;
        }
        byte[] r = new BigInteger(1, java.util.Arrays.copyOfRange(jose, 0, half)).toByteArray();
        byte[] s = new BigInteger(1, java.util.Arrays.copyOfRange(jose, half, 2 * half)).toByteArray();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] i : new byte[][] {r, s}) {
            body.write(0x02);
            length(body, i.length);
            body.writeBytes(i);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        length(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void length(java.io.ByteArrayOutputStream out, int length) {
        if (length < 128) {
            out.write(length);
        } else {
            out.write(0x81);
            out.write(length);
        }
    }
}
