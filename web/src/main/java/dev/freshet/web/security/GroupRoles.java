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
 */
public final class GroupRoles {
    public static final List<String> ROLES = List.of("admin", "publisher", "viewer");
    private final Map<String, Set<String>> rolesByGroup;

    public GroupRoles(Map<String, List<String>> groupsByRole) {
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
        return new GroupRoles(byRole);
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
