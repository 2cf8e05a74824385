package dev.freshet.control.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One line of the node's audit log (issue 16): a changing call this node served, or a refused sign-in or change:
 * when, who (user, or {@code token:<id>}) with which role, what ({@code action}: method and path, info-hashes as
 * {@code {infoHash}}), on what ({@code target}: a swarm, office, token or setting), from which address, and the
 * result (the HTTP status).
 */
@Entity
@Table(name = "AUDIT", indexes = {@Index(name = "AUDIT_AT", columnList = "AT")})
public class AuditRecord {
    /** A random UUID: no generated keys (EclipseLink's identity columns are not H2 2's syntax). */
    @Id
    @Column(name = "ID", length = 36)
    private String id;
    @Column(name = "AT", nullable = false)
    private long at;
    @Column(name = "WHO", length = 128, nullable = false)
    private String who;
    @Column(name = "ROLE_NAME", length = 32, nullable = false)
    private String role;
    @Column(name = "ACTION", length = 256, nullable = false)
    private String action;
    @Column(name = "TARGET", length = 128, nullable = false)
    private String target;
    @Column(name = "ADDRESS", length = 64, nullable = false)
    private String address;
    @Column(name = "RESULT", nullable = false)
    private int result;

    protected AuditRecord() {
    }

    public AuditRecord(long at, String who, String role, String action, String target, String address, int result) {
        this.id = java.util.UUID.randomUUID().toString();
        this.at = at;
        this.who = cut(who, 128);
        this.role = cut(role, 32);
        this.action = cut(action, 256);
        this.target = cut(target, 128);
        this.address = cut(address, 64);
        this.result = result;
    }

    private static String cut(String s, int max) {
        String t = s == null ? "" : s;
        return t.length() <= max ? t : t.substring(0, max);
    }

    public String id() {
        return id;
    }

    public long at() {
        return at;
    }

    public String who() {
        return who;
    }

    public String role() {
        return role;
    }

    public String action() {
        return action;
    }

    public String target() {
        return target;
    }

    public String address() {
        return address;
    }

    public int result() {
        return result;
    }
}
