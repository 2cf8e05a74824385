package dev.freshet.engine.cli;

import dev.freshet.engine.create.TorrentCreator;
import dev.freshet.engine.metainfo.InfoHash;
import dev.freshet.engine.metainfo.Metainfo;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import dev.freshet.engine.swarm.EngineEvent;
import dev.freshet.engine.swarm.SwarmOptions;
import dev.freshet.engine.swarm.SwarmStatus;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar jca-p2p-adapter.jar COMMAND ...}
 * <pre>
 * create SOURCE [--out FILE] [--piece-length BYTES] [--tracker URL]... [--private] [--comment TEXT]
 * seed TORRENT --dir DIR [--bind ADDR] [--port PORT] [--peer HOST:PORT]... [--tracker URL]... [--no-announce] [--serve-all]
 * download TORRENT --dir DIR [--bind ADDR] [--port PORT] [--peer HOST:PORT]... [--tracker URL]... [--exit-on-complete]
 *   common options: [--upload-limit B/s] [--download-limit B/s] [--status-every SECONDS] [--zero-copy]
 * magnet TORRENT
 * self-test
 * </pre>
 * {@code seed} and {@code download} print {@code started}, {@code complete <millis>} (time from start to
 * the last verified piece) and a status line every {@code --status-every} seconds, and run until
 * interrupted (or, with {@code --exit-on-complete}, until complete).
 */
public final class FreshetCli {
    private final PrintStream out;

    FreshetCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int code = new FreshetCli(System.out).run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    int run(String[] args) throws Exception {
        if (args.length == 0) {
            return usage("no command");
        }
        Args a = new Args(args);
        switch (a.command) {
            case "create" -> {
                return create(a);
            }
            case "seed", "download" -> {
                return transfer(a, a.command.equals("seed"));
            }
            case "identity" -> {
                // a member's TLS identity (made in DIR if none is there): its certificate's SHA-256, for the others
                out.println("fingerprint " + dev.freshet.engine.tls.PeerIdentity.inDirectory(Path.of(a.positional()),
                        "Freshet engine").fingerprint());
                return 0;
            }
            case "magnet" -> {
                out.println(Metainfo.parse(Files.readAllBytes(Path.of(a.positional()))).magnet());
                return 0;
            }
            case "self-test" -> {
                return selfTest();
            }
            default -> {
                return usage("unknown command " + a.command);
            }
        }
    }

    /**
     * Moves a small artifact from a first seed to a leecher, two engines in this process over loopback, and checks
     * the copy: says whether this machine and JVM run the engine. The launcher also runs it once per jar and JDK to
     * record the classes a transfer loads (a class-data sharing archive: later runs start faster).
     */
    private int selfTest() throws Exception {
        Path dir = Files.createTempDirectory("freshet-self-test");
        ExecutorService network = Executors.newFixedThreadPool(2, daemon("freshet-network"));
        ExecutorService hashing = Executors.newFixedThreadPool(2, daemon("freshet-hash"));
        long start = System.nanoTime();
        try {
            Path data = dir.resolve("seed/self-test.bin");
            Files.createDirectories(data.getParent());
            byte[] content = new byte[4 << 20];
            new java.util.Random(start).nextBytes(content);
            Files.write(data, content);
            Metainfo metainfo = new dev.freshet.engine.create.TorrentCreator().pieceLength(64 << 10).create(data);
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            CountDownLatch complete = new CountDownLatch(1);
            try (Engine seed = Engine.start(EngineConfig.builder().listenAddress(loopback).build(network, hashing),
                    event -> { });
                 Engine leech = Engine.start(EngineConfig.builder().listenAddress(loopback).build(network, hashing),
                         event -> {
                             if (event instanceof EngineEvent.SwarmComplete) {
                                 complete.countDown();
                             }
                         })) {
                seed.addSwarm(metainfo, dir.resolve("seed"), SwarmOptions.defaults().withAnnounce(false).asFirstSeed())
                        .get(30, TimeUnit.SECONDS);
                leech.addSwarm(metainfo, dir.resolve("leech"), SwarmOptions.defaults().withAnnounce(false).withPeers(
                        List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), seed.listenPort()))))
                        .get(30, TimeUnit.SECONDS);
                if (!complete.await(60, TimeUnit.SECONDS)
                        || !java.util.Arrays.equals(content, Files.readAllBytes(dir.resolve("leech/self-test.bin")))) {
                    out.println("self-test failed: the copy did not complete identical within 60 s");
                    return 1;
                }
            }
            out.printf("self-test ok %d ms%n", (System.nanoTime() - start) / 1_000_000);
            return 0;
        } finally {
            network.shutdownNow();
            hashing.shutdownNow();
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private int usage(String problem) {
        System.err.println("freshet: " + problem);
        System.err.println("usage: create SOURCE [--out FILE] [--piece-length BYTES] [--tracker URL]... [--private]");
        System.err.println("       seed TORRENT --dir DIR [--bind ADDR] [--port PORT] [--peer HOST:PORT]... [--tracker URL]... [--no-announce] [--serve-all]");
        System.err.println("       download TORRENT --dir DIR [--bind ADDR] [--port PORT] [--peer HOST:PORT]... [--tracker URL]... [--exit-on-complete]");
        System.err.println("       (seed, download) [--upload-limit B/s] [--download-limit B/s] [--status-every S] [--zero-copy]");
        System.err.println("       (seed, download) [--tls IDENTITY_DIR --peer-id HEX40 [--member HOST:PORT,PEER_ID_HEX,FINGERPRINT]...]");
        System.err.println("       identity DIR     (makes or reads a TLS identity, prints its fingerprint)");
        System.err.println("       magnet TORRENT");
        System.err.println("       self-test        (moves a small artifact between two engines here, checks it)");
        return 2;
    }

    private int create(Args a) throws Exception {
        Path source = Path.of(a.positional());
        TorrentCreator creator = new TorrentCreator()
                .pieceLength(Integer.parseInt(a.option("--piece-length").orElse("0")))
                .privateFlag(a.flag("--private"));
        List<String> trackers = a.options("--tracker");
        if (!trackers.isEmpty()) {
            creator.announceList(trackers.stream().map(List::of).toList());
        }
        a.option("--comment").ifPresent(creator::comment);
        long start = System.nanoTime();
        Metainfo m = creator.create(source);
        Path target = Path.of(a.option("--out").orElse(source.getFileName() + ".torrent"));
        Files.write(target, m.toBytes());
        out.printf("created %s: %s, %d bytes, %d pieces of %d, in %d ms%n", target, m.infoHash(),
                m.info().totalLength(), m.info().pieceCount(), m.info().pieceLength(),
                (System.nanoTime() - start) / 1_000_000);
        return 0;
    }

    private int transfer(Args a, boolean seed) throws Exception {
        Metainfo metainfo = Metainfo.parse(Files.readAllBytes(Path.of(a.positional())));
        Path dir = Path.of(a.option("--dir").orElse("."));
        InetAddress bind = InetAddress.getByName(a.option("--bind").orElse("127.0.0.1"));
        int port = Integer.parseInt(a.option("--port").orElse("0"));
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String p : a.options("--peer")) {
            int colon = p.lastIndexOf(':');
            peers.add(new InetSocketAddress(InetAddress.getByName(p.substring(0, colon)), Integer.parseInt(p.substring(colon + 1))));
        }
        boolean exitOnComplete = a.flag("--exit-on-complete");
        int statusEvery = Integer.parseInt(a.option("--status-every").orElse("0"));
        long upload = Long.parseLong(a.option("--upload-limit").orElse("0"));
        long download = Long.parseLong(a.option("--download-limit").orElse("0"));

        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService network = Executors.newSingleThreadExecutor(daemon("freshet-network"));
        ExecutorService hashing = Executors.newFixedThreadPool(cores, daemon("freshet-hash"));
        EngineConfig.Builder builder = EngineConfig.builder().listenAddress(new InetSocketAddress(bind, port))
                .limits(download, upload).zeroCopy(a.flag("--zero-copy"));
        List<dev.freshet.engine.swarm.SecureMember> members = new ArrayList<>();
        if (a.option("--tls").isPresent()) {
            // members speak TLS 1.3 with each other (what a cluster's nodes do); others plain BitTorrent
            builder.peerTls(dev.freshet.engine.tls.PeerTls.of(dev.freshet.engine.tls.PeerIdentity.inDirectory(
                    Path.of(a.option("--tls").get()), "Freshet engine")));
            for (String m : a.options("--member")) {
                String[] f = m.split(",");
                int colon = f[0].lastIndexOf(':');
                members.add(new dev.freshet.engine.swarm.SecureMember(new InetSocketAddress(InetAddress.getByName(
                        f[0].substring(0, colon)), Integer.parseInt(f[0].substring(colon + 1))),
                        dev.freshet.engine.wire.PeerId.of(java.util.HexFormat.of().parseHex(f[1])), f[2]));
            }
        }
        a.option("--peer-id").ifPresent(hex -> builder.peerId(dev.freshet.engine.wire.PeerId.of(
                java.util.HexFormat.of().parseHex(hex))));
        EngineConfig config = builder.build(network, hashing);
        CountDownLatch complete = new CountDownLatch(1);
        long start = System.nanoTime();
        InfoHash hash = metainfo.infoHash();
        Engine engine = Engine.start(config, event -> {
            if (event instanceof EngineEvent.SwarmStarted s) {
                out.printf("started %s verified %d/%d%n", s.infoHash(), s.verifiedPieces(), s.pieceCount());
            } else if (event instanceof EngineEvent.SwarmComplete) {
                out.printf("complete %d%n", (System.nanoTime() - start) / 1_000_000);
                complete.countDown();
            } else if (event instanceof EngineEvent.PeerBanned b) {
                out.printf("banned %s %s%n", b.address() != null ? b.address() : b.peerId(), b.reason());
            } else if (event instanceof EngineEvent.SwarmStalled st) {
                out.printf("stalled %s%n", st.message());
            } else if (event instanceof EngineEvent.SwarmError e) {
                out.printf("error %s%n", e.message());
                complete.countDown();
            }
            out.flush();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        if (!members.isEmpty()) {
            engine.secureMembers(members).get(10, TimeUnit.SECONDS);
        }
        out.printf("listening %s:%d%n", bind.getHostAddress(), engine.listenPort());
        SwarmOptions options = SwarmOptions.defaults().withPeers(peers).withAnnounce(!a.flag("--no-announce"))
                .withTrackers(a.options("--tracker"));
        if (seed && a.flag("--trust")) {
            options = options.trusted();
        }
        if (seed && !a.flag("--serve-all")) {
            // the seed of a new torrent: each piece goes out about once while the leechers lack pieces, and they
            // trade the rest (BEP 16's idea; peers without BEP 6 are served whatever they ask)
            options = options.asFirstSeed();
        }
        engine.addSwarm(metainfo, dir, options).get(30, TimeUnit.SECONDS);
        if (exitOnComplete) {
            complete.await();
            engine.close();
            network.shutdownNow();
            hashing.shutdownNow();
            return 0;
        }
        while (true) {
            if (statusEvery > 0) {
                Thread.sleep(statusEvery * 1000L);
                Optional<SwarmStatus> s = engine.status(hash).get(10, TimeUnit.SECONDS);
                s.ifPresent(st -> out.printf("status %s %.1f%% down %d B/s up %d B/s peers %d downloaded %d uploaded %d%n",
                        st.state(), st.progress() * 100, st.downloadRate(), st.uploadRate(), st.peers().size(),
                        st.downloaded(), st.uploaded()));
            } else {
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Minimal argument reader: one command, positional values and repeatable {@code --name value} options. */
    private static final class Args {
        final String command;
        final List<String> positionals = new ArrayList<>();
        final List<String[]> named = new ArrayList<>();

        Args(String[] args) {
            command = args[0];
            for (int i = 1; i < args.length; i++) {
                String s = args[i];
                if (s.startsWith("--")) {
                    boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--") && !isFlag(s);
                    named.add(new String[] {s, hasValue ? args[++i] : null});
                } else {
                    positionals.add(s);
                }
            }
        }

        private static boolean isFlag(String s) {
            return s.equals("--private") || s.equals("--no-announce") || s.equals("--exit-on-complete") || s.equals("--trust")
                    || s.equals("--zero-copy") || s.equals("--serve-all");
        }

        String positional() {
            if (positionals.isEmpty()) {
                throw new IllegalArgumentException(command + " needs a file argument");
            }
            return positionals.get(0);
        }

        Optional<String> option(String name) {
            return named.stream().filter(n -> n[0].equals(name) && n[1] != null).map(n -> n[1]).reduce((x, y) -> y);
        }

        List<String> options(String name) {
            return named.stream().filter(n -> n[0].equals(name) && n[1] != null).map(n -> n[1]).toList();
        }

        boolean flag(String name) {
            return named.stream().anyMatch(n -> n[0].equals(name));
        }
    }
}
