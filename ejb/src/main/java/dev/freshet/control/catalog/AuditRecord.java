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
 * result (the HTTP status), and which node served it ({@code node}). Every node keeps the whole cluster's log
 * ({@code AuditRelay}); the id, a random UUID, tells the same entry apart wherever it arrives.
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
    /** The node that served the call (null in entries written before the cluster shared its log). */
    @Column(name = "NODE", length = 128)
    private String node;

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

    /** An entry as another node wrote it (its id kept), arriving through the grid. */
    public static AuditRecord copy(String id, long at, String node, String who, String role, String action,
                                   String target, String address, int result) {
        AuditRecord r = new AuditRecord(at, who, role, action, target, address, result);
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("an audit entry's id is a UUID, not " + id);
        }
        r.id = id;
        r.node = cut(node, 128);
        return r;
    }

    /** Stamps the node that served the call. */
    public void servedBy(String nodeName) {
        node = cut(nodeName, 128);
    }

    public String node() {
        return node;
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
