package dev.freshet.engine.metainfo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The rule that keeps every file of a torrent inside its save directory. A torrent's paths come from
 * strangers: each component must be a plain name, so that joining them onto the save directory can
 * never leave it.
 */
public final class SafePath {
    /** The longest file name most file systems accept (bytes of UTF-8). */
    public static final int MAX_COMPONENT_BYTES = 255;

    private SafePath() {
    }

    /** Checks one path component; throws {@link MetainfoException} saying why it is refused. */
    public static void checkComponent(String component) {
        if (component.isEmpty()) {
            throw new MetainfoException("refused path: empty path component");
        }
        if (component.equals(".") || component.equals("..")) {
            throw new MetainfoException("refused path: component '" + component + "' would leave its directory");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '/' || c == '\\') {
                throw new MetainfoException("refused path: component '" + printable(component) + "' contains a path separator");
            }
            if (c == 0) {
                throw new MetainfoException("refused path: component contains a NUL character");
            }
            if (c < 0x20) {
                throw new MetainfoException("refused path: component '" + printable(component) + "' contains a control character");
            }
        }
        if (component.length() >= 2 && component.charAt(1) == ':' && Character.isLetter(component.charAt(0))) {
            throw new MetainfoException("refused path: component '" + component + "' starts with a drive letter");
        }
        if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            throw new MetainfoException("refused path: component longer than " + MAX_COMPONENT_BYTES + " bytes");
        }
    }

    public static void check(List<String> components) {
        if (components.isEmpty()) {
            throw new MetainfoException("refused path: a file path has no components");
        }
        components.forEach(SafePath::checkComponent);
    }

    /**
     * Resolves checked components under {@code root}, and checks once more on the resolved path that
     * the result lies inside it.
     */
    public static Path resolve(Path root, List<String> components) {
        check(components);
        Path normalizedRoot = root.toAbsolutePath().normalize();
        Path result = normalizedRoot;
        for (String c : components) {
            result = result.resolve(c);
        }
        result = result.normalize();
        if (!result.startsWith(normalizedRoot) || result.equals(normalizedRoot)) {
            throw new MetainfoException("refused path: " + String.join("/", components) + " resolves outside the save directory");
        }
        return result;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 ? '?' : c);
        }
        return b.toString();
    }
}
