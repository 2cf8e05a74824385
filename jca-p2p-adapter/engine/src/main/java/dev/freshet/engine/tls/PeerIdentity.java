package dev.freshet.engine.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The key and certificate a node shows the other members of its cluster over TLS, and the SHA-256 of that
 * certificate ({@link #fingerprint}) by which they know it. Made on first start (EC P-256, self-signed, ten years) and
 * kept in the node's data directory ({@code peer-tls.key}, owner only, and {@code peer-tls.crt}); or taken from a
 * keystore of the enterprise's PKI.
 */
public record PeerIdentity(PrivateKey key, List<X509Certificate> chain) {
    public PeerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a peer identity needs a certificate");
        }
    }

    /** The SHA-256 of the leaf certificate's DER, lower-case hex: how the members pin it. */
    public String fingerprint() {
        return fingerprint(chain.get(0));
    }

    public static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    /** A new EC P-256 key with a self-signed certificate valid from a day ago for {@code days}. */
    public static PeerIdentity generate(String commonName, int days) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            return new PeerIdentity(keys.getPrivate(), List.of(SelfSignedCertificate.create(keys, commonName,
                    now.minusDays(1), now.plusDays(days))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an EC P-256 key", e);
        }
    }

    /**
     * The identity kept in {@code dir} ({@code peer-tls.key}, {@code peer-tls.crt}), made there first if there is
     * none (or the one there expired: a new one is made, the members learn it from the directory).
     */
    public static PeerIdentity inDirectory(Path dir, String commonName) throws IOException {
        Path keyFile = dir.resolve("peer-tls.key");
        Path certFile = dir.resolve("peer-tls.crt");
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            try {
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
                X509Certificate cert;
                try (InputStream in = Files.newInputStream(certFile)) {
                    cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                cert.checkValidity(new java.util.Date(System.currentTimeMillis() + 86_400_000L));
                return new PeerIdentity(key, List.of(cert));
            } catch (GeneralSecurityException e) {
                // unreadable or about to expire: a new one replaces it
            }
        }
        PeerIdentity made = generate(commonName, 3650);
        Files.createDirectories(dir);
        writeOwnerOnly(keyFile, made.key().getEncoded());
        try {
            writeOwnerOnly(certFile, made.chain().get(0).getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return made;
    }

    /** The key entry {@code alias} (or the first key entry) of a keystore (PKCS12 or JKS) of the enterprise's PKI. */
    public static PeerIdentity fromKeyStore(Path file, char[] password, String alias) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(file.toFile(), password);
            String a = alias;
            if (a == null || a.isBlank()) {
                a = Collections.list(ks.aliases()).stream().filter(n -> {
                    try {
                        return ks.isKeyEntry(n);
                    } catch (GeneralSecurityException e) {
                        return false;
                    }
                }).findFirst().orElseThrow(() -> new IOException(file + " holds no key entry"));
            }
            PrivateKey key = (PrivateKey) ks.getKey(a, password);
            Certificate[] chain = ks.getCertificateChain(a);
            if (key == null || chain == null) {
                throw new IOException(file + " has no key entry '" + a + "'");
            }
            return new PeerIdentity(key, java.util.Arrays.stream(chain).map(c -> (X509Certificate) c).toList());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the peer keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, bytes);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the data directory's own protection applies
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
