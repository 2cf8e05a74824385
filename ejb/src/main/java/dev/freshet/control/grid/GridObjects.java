package dev.freshet.control.grid;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Freshet's distributed objects, created outside any application component. Hazelcast asks the server, when a member
 * first creates a distributed object, for a "tenant" to restore around every later operation on it, on every member;
 * Payara's is the creating application's context, and restoring it opens a CDI request context (a bean-manager lookup
 * by stack walk) for each operation, on the partition threads. With thousands of swarms that was a quarter to
 * almost half of a node's CPU (profiled with 3 nodes and 2,000 swarms). Freshet's maps hold strings and its
 * listeners touch only their own objects, so none needs the application's context: created on a thread that
 * inherits nothing from the caller, an object gets Hazelcast's no-op tenant, for the whole cluster (the first
 * creation decides; every node creates them this way).
 */
public final class GridObjects {
    /** Every Freshet object's name starts so (the check at start-up finds them by it). */
    public static final String PREFIX = "freshet";

    private GridObjects() {
    }

    public static IMap<String, String> map(HazelcastInstance hazelcast, String name) {
        return outsideTheApplication(() -> hazelcast.getMap(name));
    }

    public static <T> ITopic<T> topic(HazelcastInstance hazelcast, String name) {
        return outsideTheApplication(() -> hazelcast.getTopic(name));
    }

    /** What {@link #tenants} found: how many of Freshet's objects it looked at, and those carrying a tenant. */
    public record Tenants(int objects, List<String> withTenant) {
    }

    /**
     * Freshet's objects on this member, and those that carry a tenant other than the no-op one (an object created
     * some other way, or first by a member of an older version): they work, but each operation pays the context.
     * Empty when this Hazelcast does not let the check look (another implementation).
     */
    public static java.util.Optional<Tenants> tenants(HazelcastInstance hazelcast) {
        try {
            Object original = hazelcast instanceof com.hazelcast.instance.impl.HazelcastInstanceProxy p
                    ? p.getOriginal() : hazelcast;
            if (!(original instanceof com.hazelcast.instance.impl.HazelcastInstanceImpl impl)) {
                return java.util.Optional.empty();
            }
            var service = impl.node.getNodeEngine().getTenantControlService();
            List<DistributedObject> ours = hazelcast.getDistributedObjects().stream()
                    .filter(o -> o.getName().startsWith(PREFIX)).toList();
            List<String> with = ours.stream().filter(o -> {
                var t = service.getTenantControl(o.getServiceName(), o.getName());
                return t != null && t != com.hazelcast.spi.tenantcontrol.TenantControl.NOOP_TENANT_CONTROL;
            }).map(DistributedObject::getName).sorted().toList();
            return java.util.Optional.of(new Tenants(ours.size(), with));
        } catch (LinkageError | RuntimeException notThisHazelcast) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Runs {@code create} on a new thread that inherits no thread-local of the caller: no component invocation, so
     * Payara's tenant factory answers the no-op tenant. Getting an object that exists on this member already is a
     * local look-up, and the thread costs nothing next to it being made once per object.
     */
    static <T> T outsideTheApplication(Supplier<T> create) {
        CompletableFuture<T> made = new CompletableFuture<>();
        Thread t = new Thread(null, () -> {
            try {
                made.complete(create.get());
            } catch (Throwable e) {
                made.completeExceptionally(e);
            }
        }, "freshet-grid-objects", 0, false);
        t.setDaemon(true);
        t.start();
        try {
            return made.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating a grid object", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
