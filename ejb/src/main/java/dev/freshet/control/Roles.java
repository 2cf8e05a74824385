package dev.freshet.control;

import java.util.List;
import java.util.function.Predicate;

/** Freshet's roles, the one that may do most first: admin (everything), publisher (publishes), viewer (reads). */
public final class Roles {
    public static final List<String> ALL = List.of("admin", "publisher", "viewer");

    private Roles() {
    }

    /** The highest of the roles a caller has ({@code has}), as the audit log and the console name it; "" for none. */
    public static String highest(Predicate<String> has) {
        return ALL.stream().filter(has).findFirst().orElse("");
    }
}
