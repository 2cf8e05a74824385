package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The position a page of a list ends at, as an opaque cursor: the last name and info-hash, with an HMAC under a key
 * this node draws at start, so that a cursor that was changed (or comes from another node, or from before a
 * restart) is refused with a 400 that says to start again, rather than silently listing from somewhere else.
 */
final class ListCursor {
    private static final byte[] KEY = new byte[32];
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static {
        new SecureRandom().nextBytes(KEY);
    }

    /** A position: after the swarm of this name and info-hash. */
    record Position(String name, String infoHash) {
    }

    private ListCursor() {
    }

    static String encode(String name, String infoHash) {
        byte[] body = (infoHash + name).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(body) + "." + B64.encodeToString(mac(body));
    }

    static Position decode(String cursor) {
        int dot = cursor.indexOf('.');
        try {
            if (dot > 0) {
                byte[] body = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
                byte[] tag = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
                if (MessageDigest.isEqual(tag, mac(body)) && body.length >= 40) {
                    String text = new String(body, StandardCharsets.UTF_8);
                    return new Position(text.substring(40), text.substring(0, 40));
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        throw new InvalidRequestException("'cursor' is not one this node gave (changed, from another node, or from "
                + "before its restart): list again without it");
    }

    private static byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] full = mac.doFinal(body);
            return java.util.Arrays.copyOf(full, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
