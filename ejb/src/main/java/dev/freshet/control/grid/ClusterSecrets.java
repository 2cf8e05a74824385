package dev.freshet.control.grid;

import dev.freshet.control.NodeSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where the cluster secret comes from: {@code freshet.cluster.secret} (with {@code freshet.cluster.secret.accept},
 * more secrets accepted while a new one is rolled in), or else the file {@code cluster-secret} in the data directory:
 * its first line seals, further lines are accepted too. A node with neither makes a secret on first start, writes it
 * there (owner only) and says so: that is how the first node of a cluster gets one; every other node must be given the
 * same. The file is read again when it changes ({@link #refresh}), so a secret is rolled through running nodes:
 * append the new secret on every node, then move it to the first line on every node, then drop the old one.
 */
@ApplicationScoped
public class ClusterSecrets {
    private static final System.Logger LOG = System.getLogger(ClusterSecrets.class.getName());
    /** Secrets shorter than this are refused: a sealed entry lets anyone try guesses offline. */
    public static final int MIN_LENGTH = 32;
    static final String FILE = "cluster-secret";

    @Inject
    NodeSettings settings;

    private volatile List<String> current = List.of();
    private volatile Path file;
    private volatile FileTime readAt;
    private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();

    @PostConstruct
    void read() {
        Config c = ConfigProvider.getConfig();
        var configured = c.getOptionalValue("freshet.cluster.secret", String.class).filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            List<String> all = new ArrayList<>(List.of(requireStrong(configured.get().strip())));
            for (String more : c.getOptionalValue("freshet.cluster.secret.accept", String.class).orElse("").split(",")) {
                if (!more.isBlank()) {
                    all.add(requireStrong(more.strip()));
                }
            }
            current = List.copyOf(all);
            return;
        }
        file = settings.dataDir().resolve(FILE);
        if (!Files.exists(file)) {
            generate(file);
        }
        current = readFile(file);
    }

    /** The secrets now: the first seals. */
    public List<String> current() {
        return current;
    }

    /** Calls {@code whenChanged} with the new list each time the secrets file changes. */
    public void onChange(Consumer<List<String>> whenChanged) {
        listeners.add(whenChanged);
    }

    /** Reads the secrets file again if it changed since (cheap: one stat); a file that became unusable is ignored. */
    public void refresh() {
        Path f = file;
        if (f == null) {
            return;
        }
        try {
            FileTime t = Files.getLastModifiedTime(f);
            if (t.equals(readAt)) {
                return;
            }
            List<String> next = readFile(f);
            if (!next.equals(current)) {
                current = next;
                listeners.forEach(l -> l.accept(next));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Freshet keeps its cluster secrets: " + f + " cannot be used now: "
                    + e.getMessage());
        }
    }

    private List<String> readFile(Path f) {
        try {
            FileTime t = Files.getLastModifiedTime(f);
            List<String> all = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    all.add(requireStrong(line.strip()));
                }
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException(f + " names no cluster secret");
            }
            readAt = t;
            return List.copyOf(all);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster secret in " + f, e);
        }
    }

    private static void generate(Path f) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, secret + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own protection applies
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated cluster secret in " + f, e);
        }
        LOG.log(System.Logger.Level.WARNING, "Freshet: freshet.cluster.secret is not set; this node made a cluster "
                + "secret and keeps it in {0}. Give every other node of its cluster the same secret "
                + "(FRESHET_CLUSTER_SECRET, or that file): nodes act only on grid entries sealed with it", f);
    }

    /** {@code secret}, if long enough to resist guessing. */
    public static String requireStrong(String secret) {
        if (secret == null || secret.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a cluster secret must have at least " + MIN_LENGTH
                    + " characters (a generated one: head -c 32 /dev/urandom | base64)");
        }
        return secret.strip();
    }
}
