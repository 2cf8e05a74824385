package dev.freshet.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The node's settings, read once at start through MicroProfile Config (system properties, environment,
 * {@code META-INF/microprofile-config.properties}). The README's configuration table lists them.
 */
@ApplicationScoped
public class NodeSettings {
    private static final System.Logger LOG = System.getLogger(NodeSettings.class.getName());

    private String office;
    private Path dataDir;
    private static final long DEFAULT_MAX_UPLOAD = 256L << 30;
    private long maxUploadBytes = DEFAULT_MAX_UPLOAD;
    private long publishAsyncBytes;
    private long publishHashRate;
    private Optional<String> peerHost;
    private Optional<String> nodeName;
    private final java.util.concurrent.atomic.AtomicReference<String> publicUrl = new java.util.concurrent.atomic.AtomicReference<>();
    private List<Path> publishRoots;
    private String adminPassword;
    private PlainCredentials plainCredentials = PlainCredentials.LOOPBACK;

    /**
     * Where credentials (a password, a token, a console session) are taken over plain HTTP ({@code
     * freshet.http.plain-credentials}): from loopback only (the default: a client on the node's own machine), never,
     * or from anywhere (behind a proxy that ends TLS on this machine's network: the operator's choice).
     */
    public enum PlainCredentials {
        LOOPBACK, NEVER, ANYWHERE;

        public boolean allows(String remoteAddress) {
            return switch (this) {
                case ANYWHERE -> true;
                case NEVER -> false;
                case LOOPBACK -> isLoopback(remoteAddress);
            };
        }

        /**
         * Whether a request's remote address (an IP literal, as the container reports it) is loopback, by the JDK's
         * own test, as {@code OriginGuard} classifies addresses: 127/8, ::1 and their IPv4-mapped forms. Only
         * literals are parsed, so nothing is ever looked up.
         */
        private static boolean isLoopback(String address) {
            String literal = address == null ? "" : address.replace("[", "").replace("]", "");
            if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !literal.contains(":")) {
                return false; // not an IPv4 or IPv6 literal: never given to the resolver
            }
            try {
                return java.net.InetAddress.getByName(literal).isLoopbackAddress();
            } catch (java.net.UnknownHostException notAnAddress) {
                return false;
            }
        }
    }
    private Optional<String> viewerPassword;
    private List<String> urlHosts;
    private boolean urlAllowLoopback;

    @PostConstruct
    void read() {
        Config c = ConfigProvider.getConfig();
        office = Offices.requireValid(c.getOptionalValue("freshet.office", String.class).orElse("default"));
        dataDir = Path.of(c.getOptionalValue("freshet.data.dir", String.class).orElse("./freshet-data"))
                .toAbsolutePath().normalize();
        ownerOnly(dataDir);
        nodeName = c.getOptionalValue("freshet.node.name", String.class).filter(s -> !s.isBlank());
        c.getOptionalValue("freshet.public.url", String.class).filter(s -> !s.isBlank())
                .ifPresent(this::learnPublicUrl);
        peerHost = c.getOptionalValue("freshet.peer.host", String.class).filter(s -> !s.isBlank());
        List<Path> roots = new ArrayList<>();
        for (String r : c.getOptionalValue("freshet.publish.roots", String.class).orElse("").split(",")) {
            if (!r.isBlank()) {
                roots.add(Path.of(r.trim()).toAbsolutePath().normalize());
            }
        }
        publishRoots = List.copyOf(roots);
        List<String> hosts = new ArrayList<>();
        for (String h : c.getOptionalValue("freshet.publish.url-hosts", String.class).orElse("").split(",")) {
            if (!h.isBlank()) {
                hosts.add(h.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        urlHosts = List.copyOf(hosts);
        urlAllowLoopback = c.getOptionalValue("freshet.publish.url-allow-loopback", Boolean.class).orElse(false);
        maxUploadBytes = c.getOptionalValue("freshet.upload.max-bytes", Long.class).filter(n -> n > 0)
                .orElse(DEFAULT_MAX_UPLOAD);
        publishAsyncBytes = c.getOptionalValue("freshet.publish.async-bytes", Long.class).filter(n -> n >= 0)
                .orElse(64L << 20);
        publishHashRate = c.getOptionalValue("freshet.publish.hash-rate", Long.class).filter(n -> n >= 0).orElse(0L);
        String plain = c.getOptionalValue("freshet.http.plain-credentials", String.class).orElse("loopback").trim();
        plainCredentials = switch (plain) {
            case "loopback" -> PlainCredentials.LOOPBACK;
            case "never" -> PlainCredentials.NEVER;
            case "anywhere" -> PlainCredentials.ANYWHERE;
            default -> throw new IllegalArgumentException("freshet.http.plain-credentials is loopback, never or anywhere, "
                    + "not '" + plain + "'");
        };
        diskHigh = c.getOptionalValue("freshet.disk.high-watermark", Integer.class).orElse(90);
        diskLow = c.getOptionalValue("freshet.disk.low-watermark", Integer.class).orElse(Math.min(80, diskHigh));
        diskQuota = c.getOptionalValue("freshet.disk.quota", String.class).map(NodeSettings::bytes).orElse(0L);
        new dev.freshet.engine.swarm.DiskLimits(diskHigh, diskLow, diskQuota); // refuses what cannot hold, at start
        viewerPassword = c.getOptionalValue("freshet.auth.viewer-password", String.class).filter(s -> !s.isEmpty());
        adminPassword = c.getOptionalValue("freshet.auth.admin-password", String.class).filter(s -> !s.isEmpty())
                .orElseGet(this::generatedAdminPassword);
    }

    /**
     * The data directory (catalog with private swarms' keys, downloads, uploads, the generated password) is the node
     * user's alone: other local users cannot enter it, whatever the umask gave the files inside (issue 10, case 10).
     */
    private static void ownerOnly(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            LOG.log(System.Logger.Level.WARNING, "Freshet cannot restrict {0} to its owner: no POSIX permissions here", dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or protect the data directory " + dir, e);
        }
    }

    /** No admin password configured: make one on first start, keep it in the data directory, say where. */
    private String generatedAdminPassword() {
        Path file = dataDir.resolve("admin-password");
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] raw = new byte[18];
                new SecureRandom().nextBytes(raw);
                String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system has no POSIX permissions; the data directory's own protection applies
                }
            }
            LOG.log(System.Logger.Level.INFO, "Freshet: freshet.auth.admin-password is not set; user 'admin' has the password in {0}", file);
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated admin password in " + file, e);
        }
    }

    public String office() {
        return office;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where downloads of added torrents and fetched swarms go. */
    public Path downloadsDir() {
        return dataDir.resolve("downloads");
    }

    /**
     * Where the data of a fetched or added swarm goes: a directory of its own under the downloads directory,
     * named by its info-hash, so that no two swarms share a path whatever their files are called.
     */
    public Path saveDirOf(String infoHash) {
        if (!infoHash.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("not an info-hash: " + infoHash);
        }
        return downloadsDir().resolve(infoHash);
    }

    /**
     * Whether {@code save}, a swarm's save directory, is one of this node's own for it (fetched:
     * {@code downloads/<info-hash>}, uploaded: {@code uploads/<id>}), whose data is Freshet's to delete; a server path
     * a swarm was published from is not.
     */
    public boolean isOwnSaveDir(String infoHash, Path save) {
        Path s = save.toAbsolutePath().normalize();
        return s.equals(saveDirOf(infoHash).toAbsolutePath().normalize())
                || uploadsDir().toAbsolutePath().normalize().equals(s.getParent());
    }

    /** Where uploaded files are kept (each in a directory of its own) to be seeded. */
    public Path uploadsDir() {
        return dataDir.resolve("uploads");
    }

    /** The host other nodes dial; empty: the node's cluster address. */
    public Optional<String> peerHost() {
        return peerHost;
    }

    /** The node's base URL as clients reach it (ends with '/'): {@code freshet.public.url}, else learned from a request. */
    public Optional<String> publicUrl() {
        return Optional.ofNullable(publicUrl.get());
    }

    /** Keeps {@code url} as the public URL unless one is known already (configured, or learned before). */
    public void learnPublicUrl(String url) {
        publicUrl.compareAndSet(null, url.endsWith("/") ? url : url + "/");
    }

    /** A name for people; empty: Payara's instance name. */
    public Optional<String> nodeName() {
        return nodeName;
    }

    /** {@code freshet.node.name}, else Payara's instance name ({@code --name} on Micro), else the grid's name. */
    public String nodeName(com.hazelcast.core.HazelcastInstance grid) {
        return nodeName.orElseGet(() -> {
            String instance = grid.getCluster().getLocalMember().getAttribute("GLASSFISH-INSTANCE");
            return instance != null && !instance.isBlank() ? instance : grid.getName();
        });
    }

    /**
     * Artifacts larger than this ({@code freshet.publish.async-bytes}, default 64 MiB) are hashed in the background:
     * the API answers 202 with the publication to follow.
     */
    private int diskHigh;
    private int diskLow;
    private long diskQuota;

    /**
     * The disk limits a node starts with until an admin sets others ({@code PUT /api/disk}, kept in the catalog):
     * {@code freshet.disk.high-watermark} (percent, default 90), {@code freshet.disk.low-watermark} (default 80) and
     * {@code freshet.disk.quota} (bytes, with an optional k, m, g or t: {@code 500g}; default 0, no quota).
     */
    public dev.freshet.engine.swarm.DiskLimits defaultDiskLimits() {
        return new dev.freshet.engine.swarm.DiskLimits(diskHigh, diskLow, diskQuota);
    }

    /** {@code 123}, {@code 64k}, {@code 500m}, {@code 2g}, {@code 1t} (binary multiples) as bytes. */
    static long bytes(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = t.isEmpty() ? 0 : switch (t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1).trim();
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size: bytes as a whole number, with an optional "
                    + "k, m, g or t (500g)");
        }
    }

    public long publishAsyncBytes() {
        return publishAsyncBytes;
    }

    /** Bytes per second a publication may read to hash ({@code freshet.publish.hash-rate}; 0, the default: no limit). */
    public long publishHashRate() {
        return publishHashRate;
    }

    /** The largest upload this node stores ({@code freshet.upload.max-bytes}, default 256 GiB). */
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** Hosts (lower case, optionally {@code host:port}) this node may publish from by URL; none: publishing by URL is off. */
    public List<String> urlHosts() {
        return urlHosts;
    }

    /** Whether publishing by URL may reach loopback addresses (tests; never link-local or wildcard ones). */
    public boolean urlAllowLoopback() {
        return urlAllowLoopback;
    }

    public List<Path> publishRoots() {
        return publishRoots;
    }

    public PlainCredentials plainCredentials() {
        return plainCredentials;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** Empty: no viewer account. */
    public Optional<String> viewerPassword() {
        return viewerPassword;
    }
}
