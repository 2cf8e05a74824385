package dev.freshet.adapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the engine listens. The adapter's own config properties give the defaults; the node's
 * MicroProfile-style settings ({@code freshet.peer.bind}, {@code freshet.peer.port} as system properties,
 * or {@code FRESHET_PEER_BIND}, {@code FRESHET_PEER_PORT} in the environment) win, so one RAR serves every node.
 * {@code freshet.scrub.rate}: bytes per second the background scrub re-hashes (0 turns it off; default
 * {@link dev.freshet.engine.swarm.EngineConfig#DEFAULT_SCRUB_RATE}); {@code freshet.scrub.hours}: hours from the end of
 * a pass over a swarm to the next pass over it (default 24, {@link dev.freshet.engine.swarm.EngineConfig#DEFAULT_SCRUB_EVERY}).
 */
record PeerSettings(InetSocketAddress listen, long scrubRate, java.time.Duration scrubEvery) {
    /**
     * TLS with the cluster's members (issue 13), unless {@code freshet.peer.tls} is {@code off}: the node's identity
     * from {@code freshet.peer.tls.keystore} (PKCS12 or JKS of the enterprise's PKI, with {@code .password} and
     * {@code .alias}), else made on first start in the data directory ({@code freshet.data.dir}); with
     * {@code freshet.peer.tls.truststore} (and {@code .password}) every member's certificate must also validate to its CAs.
     */
    static java.util.Optional<dev.freshet.engine.tls.PeerTls> tls(Function<String, String> sysProps,
                                                                   Function<String, String> env) throws java.io.IOException {
        String mode = setting("freshet.peer.tls", sysProps, env).orElse("members").trim();
        if (mode.equals("off")) {
            return java.util.Optional.empty();
        }
        if (!mode.equals("members")) {
            throw new IllegalArgumentException("freshet.peer.tls is 'members' (TLS between members, the default) or 'off', not '"
                    + mode + "'");
        }
        dev.freshet.engine.tls.PeerIdentity identity;
        var keystore = setting("freshet.peer.tls.keystore", sysProps, env);
        if (keystore.isPresent()) {
            identity = dev.freshet.engine.tls.PeerIdentity.fromKeyStore(java.nio.file.Path.of(keystore.get()),
                    setting("freshet.peer.tls.keystore.password", sysProps, env).orElse("").toCharArray(),
                    setting("freshet.peer.tls.keystore.alias", sysProps, env).orElse(null));
        } else {
            java.nio.file.Path data = java.nio.file.Path.of(setting("freshet.data.dir", sysProps, env).orElse("./freshet-data"))
                    .toAbsolutePath().normalize();
            identity = dev.freshet.engine.tls.PeerIdentity.inDirectory(data, "Freshet node");
        }
        var truststore = setting("freshet.peer.tls.truststore", sysProps, env);
        if (truststore.isEmpty()) {
            return java.util.Optional.of(dev.freshet.engine.tls.PeerTls.of(identity));
        }
        try {
            java.security.KeyStore ts = java.security.KeyStore.getInstance(java.nio.file.Path.of(truststore.get()).toFile(),
                    setting("freshet.peer.tls.truststore.password", sysProps, env).orElse("").toCharArray());
            return java.util.Optional.of(dev.freshet.engine.tls.PeerTls.withAuthorities(identity, ts));
        } catch (java.security.GeneralSecurityException e) {
            throw new java.io.IOException("cannot read the peer truststore " + truststore.get() + ": " + e.getMessage(), e);
        }
    }

    static PeerSettings resolve(String defaultBind, int defaultPort, Function<String, String> sysProps,
                                Function<String, String> env) {
        // freshet.peer.bind.default: a packaging's default (the uber-jar bakes loopback), below what the node is told
        String bind = setting("freshet.peer.bind", sysProps, env)
                .or(() -> setting("freshet.peer.bind.default", sysProps, env)).orElse(defaultBind);
        int p = (int) whole("freshet.peer.port", sysProps, env, defaultPort, 0, 65535, "a number from 0 to 65535");
        long scrubRate = whole("freshet.scrub.rate", sysProps, env, dev.freshet.engine.swarm.EngineConfig.DEFAULT_SCRUB_RATE,
                0, Long.MAX_VALUE, "bytes per second (0 turns the scrub off)");
        long h = whole("freshet.scrub.hours", sysProps, env, dev.freshet.engine.swarm.EngineConfig.DEFAULT_SCRUB_EVERY.toHours(),
                1, 24L * 366, "whole hours from 1 to a year (8784)");
        try {
            // numeric or a name of this machine; resolved once, at start
            return new PeerSettings(new InetSocketAddress(InetAddress.getByName(bind.trim()), p), scrubRate,
                    java.time.Duration.ofHours(h));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("freshet.peer.bind '" + bind + "' is not an address of this machine", e);
        }
    }

    /**
     * The whole number from {@code min} to {@code max} that setting {@code key} holds ({@code otherwise} when unset), or
     * an error naming the setting, what it must be and the value given.
     */
    private static long whole(String key, Function<String, String> sysProps, Function<String, String> env, long otherwise,
                              long min, long max, String mustBe) {
        Optional<String> given = setting(key, sysProps, env);
        if (given.isEmpty()) {
            return otherwise;
        }
        try {
            long v = Long.parseLong(given.get().trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below, as a value out of range is
        }
        throw new IllegalArgumentException(key + " must be " + mustBe + ", not '" + given.get() + "'");
    }

    private static Optional<String> setting(String key, Function<String, String> sysProps, Function<String, String> env) {
        String v = sysProps.apply(key);
        if (v == null || v.isBlank()) {
            v = env.apply(key.toUpperCase().replace('.', '_'));
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
