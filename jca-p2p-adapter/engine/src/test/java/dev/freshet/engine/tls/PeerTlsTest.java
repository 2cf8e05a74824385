package dev.freshet.engine.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handshakes between two members' {@link PeerTls}, engine to engine in memory (no sockets: what is counted is the
 * TLS work, and each connection's steps are run in the order a test needs).
 */
class PeerTlsTest {
    private final PeerIdentity a = PeerIdentity.generate("a", 30);
    private final PeerIdentity b = PeerIdentity.generate("b", 30);
    private final InetSocketAddress bAddress = new InetSocketAddress("127.0.0.1", 6881);

    private PeerTls member(PeerIdentity identity) {
        PeerTls tls = PeerTls.of(identity);
        tls.trust(Set.of(a.fingerprint(), b.fingerprint()));
        return tls;
    }

    @Test
    void dialsToOneMemberAtOnceResumeTheirSessionsOnceEachDialerHasATicket() throws Exception {
        PeerTls dialer = member(a);
        PeerTls answerer = member(b);
        int atOnce = PeerTls.DIALERS;
        // a cold start: every connection is a full handshake (each side checks the other's certificate)
        dialAtOnce(dialer, answerer, atOnce);
        assertThat(dialer.certificatesChecked()).isEqualTo(atOnce);
        assertThat(answerer.certificatesChecked()).isEqualTo(atOnce);
        // the same number at once again: each resumes with a ticket of its own (one context kept one ticket per
        // member, and a ticket resumes one connection: all but one were full handshakes again)
        dialAtOnce(dialer, answerer, atOnce);
        assertThat(dialer.certificatesChecked()).as("full handshakes by the dialer").isEqualTo(atOnce);
        assertThat(answerer.certificatesChecked()).as("full handshakes by the answerer").isEqualTo(atOnce);
    }

    @Test
    void aMemberThatAnswersWithAnotherCertificateIsCheckedAgain() throws Exception {
        PeerTls dialer = member(a);
        dialAtOnce(dialer, member(b), 1);
        // b restarted with a new identity: its old tickets do not open, the handshake is full and checked
        PeerIdentity renewed = PeerIdentity.generate("b", 30);
        PeerTls answerer = PeerTls.of(renewed);
        answerer.trust(Set.of(a.fingerprint()));
        dialer.trust(Set.of(renewed.fingerprint()));
        long before = dialer.certificatesChecked();
        for (int i = 0; i < PeerTls.DIALERS; i++) {
            dialAtOnce(dialer, answerer, 1);
        }
        assertThat(dialer.certificatesChecked() - before).isPositive();
    }

    @Test
    void membersShowTheirOwnKeyOfEitherAlgorithmFromTheEnterprisesKeystores(@org.junit.jupiter.api.io.TempDir
                                                                               java.nio.file.Path dir) throws Exception {
        // an RSA member from the enterprise's PKI (keytool's PKCS12) and an EC one: each shows its own chain, and
        // the other checks it against its truststore and the members' fingerprints
        PeerIdentity rsa = PeerIdentity.fromKeyStore(keytool(dir, "rsa", "RSA"), "changeit".toCharArray(), null);
        PeerIdentity ec = PeerIdentity.fromKeyStore(keytool(dir, "ec", "EC"), "changeit".toCharArray(), null);
        assertThat(rsa.key().getAlgorithm()).isEqualTo("RSA");
        java.security.KeyStore authorities = java.security.KeyStore.getInstance("PKCS12");
        authorities.load(null, null);
        authorities.setCertificateEntry("rsa", rsa.chain().get(0));
        authorities.setCertificateEntry("ec", ec.chain().get(0));
        for (PeerIdentity[] sides : new PeerIdentity[][] {{rsa, ec}, {ec, rsa}, {rsa, rsa}}) {
            PeerTls dialer = PeerTls.withAuthorities(sides[0], authorities);
            PeerTls answerer = PeerTls.withAuthorities(sides[1], authorities);
            dialer.trust(Set.of(sides[1].fingerprint()));
            answerer.trust(Set.of(sides[0].fingerprint()));
            Pair p = new Pair(dialer.client(bAddress), answerer.server());
            p.client.beginHandshake();
            p.server.beginHandshake();
            p.step(p.client, p.toServer, p.toClient);
            p.finish();
            assertThat(p.client.getSession().getPeerCertificates()[0]).isEqualTo(sides[1].chain().get(0));
            assertThat(p.server.getSession().getPeerCertificates()[0]).isEqualTo(sides[0].chain().get(0));
        }
    }

    /** A keystore made as an enterprise's admin would: keytool, a key pair of {@code algorithm}, self-signed. */
    private static java.nio.file.Path keytool(java.nio.file.Path dir, String name, String algorithm) throws Exception {
        java.nio.file.Path file = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", algorithm, "-dname", "CN=" + name, "-validity", "30",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return file;
    }

    /** {@code n} connections from {@code dialer} to {@code answerer}, every ClientHello sent before any completes. */
    private void dialAtOnce(PeerTls dialer, PeerTls answerer, int n) throws Exception {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pair p = new Pair(dialer.client(bAddress), answerer.server());
            p.client.beginHandshake();
            p.server.beginHandshake();
            p.step(p.client, p.toServer, p.toClient); // the ClientHello: a ticket is taken here, or none is left
            pairs.add(p);
        }
        for (Pair p : pairs) {
            p.finish();
            dialer.dialled(bAddress, p.client); // as the engine does once the other side's BitTorrent handshake came
        }
    }

    private static final class Pair {
        final SSLEngine client;
        final SSLEngine server;
        final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        final ByteBuffer app = ByteBuffer.allocate(1 << 17);

        Pair(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
        }

        void finish() throws Exception {
            for (int k = 0; k < 50; k++) {
                step(server, toClient, toServer);
                step(client, toServer, toClient);
                if (done(client) && done(server)) {
                    // the server's first data carries its session ticket to the client, as on a real connection
                    server.wrap(ByteBuffer.wrap(new byte[] {1}), toClient);
                    step(client, toServer, toClient);
                    return;
                }
            }
            throw new AssertionError("no handshake: " + client.getHandshakeStatus() + " / " + server.getHandshakeStatus());
        }

        /** {@code e} reads what it was sent (in {@code in}, flipped here), then writes what it must to {@code out}. */
        void step(SSLEngine e, ByteBuffer out, ByteBuffer in) throws Exception {
            in.flip();
            while (in.hasRemaining()) {
                SSLEngineResult r = e.unwrap(in, app);
                app.clear();
                tasks(e);
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                    break;
                }
            }
            in.compact();
            while (true) {
                HandshakeStatus h = e.getHandshakeStatus();
                if (h == HandshakeStatus.NEED_WRAP) {
                    e.wrap(ByteBuffer.allocate(0), out);
                } else if (h == HandshakeStatus.NEED_TASK) {
                    tasks(e);
                } else {
                    return;
                }
            }
        }

        static boolean done(SSLEngine e) {
            HandshakeStatus h = e.getHandshakeStatus();
            return h == HandshakeStatus.NOT_HANDSHAKING || h == HandshakeStatus.FINISHED;
        }

        static void tasks(SSLEngine e) {
            for (Runnable t = e.getDelegatedTask(); t != null; t = e.getDelegatedTask()) {
                t.run();
            }
        }
    }
}
