package dev.freshet.engine.tls;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/** Identities the tests need and a node never makes: one whose certificate expired. */
public final class TestIdentities {
    private TestIdentities() {
    }

    public static PeerIdentity expired() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        return new PeerIdentity(keys.getPrivate(), List.of(SelfSignedCertificate.create(keys, "expired",
                now.minusDays(30), now.minusDays(1))));
    }
}
