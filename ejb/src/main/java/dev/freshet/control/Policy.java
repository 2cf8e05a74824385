package dev.freshet.control;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which nodes fetch a swarm by themselves: {@code all}, {@code offices:a,b} (nodes of those offices) or
 * {@code on-demand} (only nodes asked through their API). The node that publishes or adds a swarm always holds it.
 */
public final class Policy {
    public static final Policy ALL = new Policy(Kind.ALL, Set.of());
    public static final Policy ON_DEMAND = new Policy(Kind.ON_DEMAND, Set.of());

    private enum Kind { ALL, OFFICES, ON_DEMAND }

    private final Kind kind;
    private final Set<String> offices;

    private Policy(Kind kind, Set<String> offices) {
        this.kind = kind;
        this.offices = offices;
    }

    /** Parses the API's form; throws {@link InvalidRequestException} with the accepted forms otherwise. */
    public static Policy parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("all")) {
            return ALL;
        }
        if (t.equals("on-demand")) {
            return ON_DEMAND;
        }
        if (t.startsWith("offices:")) {
            Set<String> names = Arrays.stream(t.substring("offices:".length()).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
            if (names.isEmpty()) {
                throw new InvalidRequestException("policy 'offices:' names no office; write e.g. offices:berlin,paris");
            }
            for (String n : names) {
                Offices.requireValid(n);
            }
            return new Policy(Kind.OFFICES, Set.copyOf(names));
        }
        throw new InvalidRequestException("unknown policy '" + t + "'; use all, on-demand or offices:<a,b,...>");
    }

    /** Whether every node that fetches by this policy is of one of {@code offices} (never for all or on-demand). */
    public boolean within(java.util.Collection<String> offices) {
        return kind == Kind.OFFICES && offices.containsAll(this.offices);
    }

    /** Whether a node of {@code office} fetches the swarm without being asked. */
    public boolean fetchesBy(String office) {
        return switch (kind) {
            case ALL -> true;
            case OFFICES -> offices.contains(office);
            case ON_DEMAND -> false;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALL -> "all";
            case ON_DEMAND -> "on-demand";
            case OFFICES -> "offices:" + String.join(",", new TreeSet<>(offices));
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && p.kind == kind && p.offices.equals(offices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, offices);
    }
}
