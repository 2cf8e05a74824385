package dev.freshet.control;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * What a node may fetch an artifact from when it publishes by URL (issue 17; against server-side request forgery):
 * {@code http} or {@code https} only, no user info, a host on the allow-list ({@code freshet.publish.url-hosts}; a
 * list entry {@code host} allows any port of it, {@code host:port} that port only), and none of the host's addresses
 * loopback (unless allowed, for tests), link-local (169.254/16, fe80::/10: cloud metadata services live there),
 * wildcard or multicast. Redirects are followed only to the same scheme, host and port ({@link #sameOrigin}).
 */
public final class OriginGuard {
    /** How a host name becomes addresses (the real resolver, or a fixed answer in tests). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowed;
    private final boolean allowLoopback;
    private final Resolver resolver;

    public OriginGuard(List<String> allowed, boolean allowLoopback, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /**
     * The URL, checked; throws {@link InvalidRequestException} for a malformed one or another scheme, and
     * {@link PublishRefusedException} for an origin this node may not fetch from (the message says which rule).
     */
    public URI check(String text) {
        if (allowed.isEmpty()) {
            throw new PublishRefusedException("this node publishes nothing by URL: freshet.publish.url-hosts is not set");
        }
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new InvalidRequestException("'url' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidRequestException("'url' must be http:// or https://, not '" + uri.getScheme() + "'");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new InvalidRequestException("'url' needs a host and no user name or password in it");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = port(uri);
        if (!allowed.contains(host) && !allowed.contains(host + ":" + port)) {
            throw new PublishRefusedException("host " + host + ":" + port + " is not among the origins this node may "
                    + "publish from (freshet.publish.url-hosts: " + String.join(",", allowed) + ")");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new InvalidRequestException("host " + host + " is unknown");
        }
        for (InetAddress a : addresses) {
            String why = a.isLinkLocalAddress() ? "link-local" : a.isAnyLocalAddress() ? "a wildcard address"
                    : a.isMulticastAddress() ? "multicast" : a.isLoopbackAddress() && !allowLoopback ? "loopback" : null;
            if (why != null) {
                throw new PublishRefusedException("host " + host + " resolves to " + a.getHostAddress() + ", " + why
                        + ": refused");
            }
        }
        return uri;
    }

    /** Whether {@code next} (a redirect's target) has the scheme, host and port of {@code first}. */
    public static boolean sameOrigin(URI first, URI next) {
        return next.getScheme() != null && next.getHost() != null
                && first.getScheme().equalsIgnoreCase(next.getScheme())
                && first.getHost().equalsIgnoreCase(next.getHost()) && port(first) == port(next);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
