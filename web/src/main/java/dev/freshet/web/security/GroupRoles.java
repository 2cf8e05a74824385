package dev.freshet.web.security;

import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which Freshet roles the groups of an enterprise directory (LDAP, Active Directory, an OpenID provider's groups claim)
 * give: {@code freshet.roles.admin}, {@code freshet.roles.publisher} and {@code freshet.roles.viewer}, each a comma
 * separated list of group names (compared without regard to case, as directories do). A user in groups of several
 * roles has them all; a user in none has no role and is refused everything but signing in (403).
 *
 * <p>Groups may be scoped to offices ({@code freshet.roles.offices}, e.g. {@code paris-publishers:paris,
 * dach-publishers:berlin+munich}): a user whose every group that lets it publish (admin or publisher) is scoped
 * publishes only with {@code offices:} policies within the union of those offices, as an office-scoped API token
 * does. The scope travels with the user's groups as {@code office:<name>} entries ({@link #OFFICE}), which no
 * role is mapped to.
 */
public final class GroupRoles {
    private static final List<String> ROLES = dev.freshet.control.Roles.ALL;
    /** The prefix of the pseudo-groups that carry a user's office scope. */
    public static final String OFFICE = "office:";
    private final Map<String, Set<String>> rolesByGroup;
    private final Map<String, Set<String>> officesByGroup;

    public GroupRoles(Map<String, List<String>> groupsByRole) {
        this(groupsByRole, Map.of());
    }

    public GroupRoles(Map<String, List<String>> groupsByRole, Map<String, Set<String>> officesByGroup) {
        Map<String, Set<String>> scopes = new LinkedHashMap<>();
        officesByGroup.forEach((g, offices) -> {
            offices.forEach(dev.freshet.control.Offices::requireValid);
            scopes.put(g.toLowerCase(Locale.ROOT), Set.copyOf(offices));
        });
        this.officesByGroup = Map.copyOf(scopes);
        Map<String, Set<String>> byGroup = new LinkedHashMap<>();
        groupsByRole.forEach((role, groups) -> {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("no role " + role + ": Freshet's roles are " + ROLES);
            }
            for (String g : groups) {
                byGroup.computeIfAbsent(g.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(role);
            }
        });
        this.rolesByGroup = Map.copyOf(byGroup);
    }

    /** The mapping that {@code config} gives ({@code freshet.roles.*}); empty when none is set. */
    public static GroupRoles from(Config config) {
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (String role : ROLES) {
            List<String> groups = new ArrayList<>();
            for (String g : config.getOptionalValue("freshet.roles." + role, String.class).orElse("").split(",")) {
                if (!g.isBlank()) {
                    groups.add(g.trim());
                }
            }
            byRole.put(role, groups);
        }
        Map<String, Set<String>> scopes = new LinkedHashMap<>();
        for (String entry : config.getOptionalValue("freshet.roles.offices", String.class).orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.trim().length() - 1) {
                throw new IllegalArgumentException("freshet.roles.offices takes group:office+office entries, not '"
                        + entry.trim() + "'");
            }
            Set<String> offices = new LinkedHashSet<>();
            for (String o : entry.substring(colon + 1).split("\\+")) {
                offices.add(o.trim());
            }
            scopes.put(entry.substring(0, colon).trim(), offices);
        }
        return new GroupRoles(byRole, scopes);
    }

    /**
     * The roles that membership of {@code groups} gives, and the office scope as {@link #OFFICE} entries when every
     * group that lets the user publish is scoped.
     */
    public Set<String> rolesAndScopeOf(Iterable<String> groups) {
        Set<String> out = new LinkedHashSet<>(rolesOf(groups));
        Set<String> offices = new LinkedHashSet<>();
        boolean unscoped = false;
        for (String g : groups) {
            String key = g.toLowerCase(Locale.ROOT);
            Set<String> roles = rolesByGroup.getOrDefault(key, Set.of());
            if (roles.contains("admin") || roles.contains("publisher")) {
                Set<String> scope = officesByGroup.get(key);
                if (scope == null) {
                    unscoped = true;
                } else {
                    offices.addAll(scope);
                }
            }
        }
        if (!unscoped) {
            offices.forEach(o -> out.add(OFFICE + o));
        }
        return Set.copyOf(out);
    }

    /** The offices that {@code groups} (as {@link #rolesAndScopeOf} gives them) limit publishing to; empty: none. */
    public static Set<String> scopeIn(java.util.Collection<String> groups) {
        Set<String> offices = new LinkedHashSet<>();
        for (String g : groups) {
            if (g.startsWith(OFFICE)) {
                offices.add(g.substring(OFFICE.length()));
            }
        }
        return Set.copyOf(offices);
    }

    /** The roles that membership of {@code groups} gives. */
    public Set<String> rolesOf(Iterable<String> groups) {
        Set<String> roles = new LinkedHashSet<>();
        for (String g : groups) {
            roles.addAll(rolesByGroup.getOrDefault(g.toLowerCase(Locale.ROOT), Set.of()));
        }
        return Set.copyOf(roles);
    }

    public boolean isEmpty() {
        return rolesByGroup.isEmpty();
    }
}
