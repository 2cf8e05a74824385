package dev.freshet.engine.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * TLS 1.3 between the members of a cluster, both sides authenticated (issue 13). A member is known by the SHA-256 of
 * its certificate, which it publishes in the cluster's directory (sealed by the cluster secret); {@link #trust} gives
 * the set of the members' fingerprints, and a handshake succeeds only when the other side shows one of them, still
 * valid. No CA is needed (the cluster has no leader to keep one's key): the trust root is the cluster secret that seals
 * the directory. With the enterprise's PKI ({@link #withAuthorities}) the chain must also validate to its CAs.
 * Outside BitTorrent clients never meet this: they speak plain BitTorrent on the same port.
 */
public final class PeerTls {
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    /** AES-128-GCM first: as strong as a member link needs, and the fastest with AES instructions. */
    private static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};
    /**
     * Contexts a member dials with. A TLS 1.3 session ticket resumes one connection only, and a JDK context keeps one
     * per host and port: with one context, of the connections a member opens to another at once (one per swarm:
     * hundreds while a cluster fetches many small swarms) all but one made a full handshake, an ECDSA signature and
     * verification on each side. Each context keeps its own ticket; a dial takes a context that holds an unused one
     * for that member ({@link #dialled} tells which do), else the next in turn.
     */
    static final int DIALERS = 8;
    private final PeerIdentity identity;
    private final X509TrustManager authorities;
    /** Answers members; one, so that the tickets it issued open whichever dialer shows them. */
    private final SSLContext context;
    private final SSLContext[] dialers = new SSLContext[DIALERS];
    /** Per member dialled, bit i: dialer i holds a ticket for it that no dial has taken yet. */
    private final java.util.concurrent.ConcurrentHashMap<InetSocketAddress, java.util.concurrent.atomic.AtomicInteger>
            tickets = new java.util.concurrent.ConcurrentHashMap<>();
    /** The dialer of each engine whose connection is not up yet (weak: a dial that fails is forgotten with it). */
    private final java.util.Map<SSLEngine, Integer> dialing =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong certificatesChecked = new java.util.concurrent.atomic.AtomicLong();
    private volatile Set<String> trusted = Set.of();

    private PeerTls(PeerIdentity identity, X509TrustManager authorities) {
        this.identity = identity;
        this.authorities = authorities;
        try {
            javax.net.ssl.KeyManager[] own = {new OwnKey(identity)};
            context = SSLContext.getInstance("TLSv1.3");
            context.init(own, new javax.net.ssl.TrustManager[] {new Pinned()}, null);
            for (int i = 0; i < DIALERS; i++) {
                dialers[i] = SSLContext.getInstance("TLSv1.3");
                dialers[i].init(own, new javax.net.ssl.TrustManager[] {new Pinned()}, null);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up peer TLS: " + e.getMessage(), e);
        }
    }

    /** Peer TLS showing {@code identity}, trusting the certificates later given to {@link #trust}. */
    public static PeerTls of(PeerIdentity identity) {
        return new PeerTls(identity, null);
    }

    /** The same, and every certificate must also validate to a CA of {@code truststore} (the enterprise's PKI). */
    public static PeerTls withAuthorities(PeerIdentity identity, KeyStore truststore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(truststore);
            for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return new PeerTls(identity, x);
                }
            }
            throw new IllegalStateException("the truststore gives no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the peer truststore: " + e.getMessage(), e);
        }
    }

    /** This node's certificate's fingerprint, for the directory. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /** The fingerprints of the certificates the members show now (replacing those before). */
    public void trust(Set<String> fingerprints) {
        trusted = Set.copyOf(fingerprints);
    }

    public Set<String> trusted() {
        return trusted;
    }

    /**
     * An engine that dials {@code remote}: from a dialer holding an unused ticket for it (a resumed handshake), else
     * the next in turn. A resumed session shows the certificate of its first handshake without a new check here:
     * {@code NetworkLoop} checks it against the members of now, and its validity, at every BitTorrent handshake, so a
     * member dropped since cannot come back by a ticket.
     */
    public SSLEngine client(InetSocketAddress remote) {
        int dialer = takeTicket(remote);
        if (dialer < 0) {
            dialer = Math.floorMod(turn.getAndIncrement(), DIALERS);
        }
        SSLEngine e = dialers[dialer].createSSLEngine(remote.getHostString(), remote.getPort());
        dialing.put(e, dialer);
        e.setUseClientMode(true);
        e.setSSLParameters(parameters(false));
        return e;
    }

    /** An engine that answers a member that dialled this node. */
    public SSLEngine server() {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        e.setSSLParameters(parameters(true));
        return e;
    }

    private SSLParameters parameters(boolean server) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS);
        p.setCipherSuites(SUITES);
        p.setUseCipherSuitesOrder(true);
        if (server) {
            p.setNeedClientAuth(true);
        }
        p.setEndpointIdentificationAlgorithm(null); // pinned by fingerprint, not by host name
        return p;
    }

    /**
     * A connection {@code engine} dialled to {@code remote} is up, past the other side's BitTorrent handshake: its
     * dialer holds a ticket for that member now (a member sends it first thing after the TLS handshake).
     */
    public void dialled(InetSocketAddress remote, SSLEngine engine) {
        Integer dialer = dialing.remove(engine);
        if (dialer != null) {
            if (tickets.size() > 4096) {
                tickets.clear(); // members come and go over months: the marks are a hint, not state
            }
            tickets.computeIfAbsent(remote, r -> new java.util.concurrent.atomic.AtomicInteger())
                    .getAndUpdate(bits -> bits | 1 << dialer);
        }
    }

    /** A dialer holding an unused ticket for {@code remote}, which is taken (-1: none). */
    private int takeTicket(InetSocketAddress remote) {
        java.util.concurrent.atomic.AtomicInteger bits = tickets.get(remote);
        while (bits != null) {
            int b = bits.get();
            if (b == 0) {
                return -1;
            }
            int dialer = Integer.numberOfTrailingZeros(b);
            if (bits.compareAndSet(b, b & ~(1 << dialer))) {
                return dialer;
            }
        }
        return -1;
    }

    /** Certificate chains checked, by either side: one per full handshake (a resumed one shows none). */
    public long certificatesChecked() {
        return certificatesChecked.get();
    }

    /** Checks a certificate chain the other side showed: a member's, valid now (and to the PKI's CAs if set). */
    void check(X509Certificate[] chain, String authType, boolean client) throws CertificateException {
        certificatesChecked.incrementAndGet();
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate shown");
        }
        chain[0].checkValidity();
        if (authorities != null) {
            if (client) {
                authorities.checkClientTrusted(chain, authType);
            } else {
                authorities.checkServerTrusted(chain, authType);
            }
        }
        String fp = PeerIdentity.fingerprint(chain[0]);
        if (!trusted.contains(fp)) {
            throw new CertificateException("certificate " + fp.substring(0, 16) + "… is not that of a member of this "
                    + "cluster (" + chain[0].getSubjectX500Principal().getName() + ")");
        }
    }

    /**
     * This member's key and chain, shown in every handshake. The JDK's own key managers take them from a key store, and
     * a PKCS12 store in memory encrypts a key put in it and decrypts it again (10,000 rounds of PBKDF2 each way): half
     * a second of CPU at every start of a node or the command line (the TLS engine benchmark's leecher, timed), for
     * nothing. It answers for the key's own algorithm (EC for the node's own identity, RSA or EC from the
     * enterprise's PKI) and no other, as the JDK's do.
     */
    private static final class OwnKey extends javax.net.ssl.X509ExtendedKeyManager {
        private static final String ALIAS = "peer";
        private final java.security.PrivateKey key;
        private final X509Certificate[] chain;

        OwnKey(PeerIdentity identity) {
            key = identity.key();
            chain = identity.chain().toArray(new X509Certificate[0]);
        }

        private String alias(String... keyTypes) {
            if (keyTypes != null) {
                for (String t : keyTypes) {
                    if (key.getAlgorithm().equalsIgnoreCase(t)) {
                        return ALIAS;
                    }
                }
            }
            return null;
        }

        private String[] aliases(String keyType) {
            return alias(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return aliases(keyType);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, java.security.Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, java.security.Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return aliases(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    private final class Pinned extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
