package dev.freshet.adapter.outbound;

import dev.freshet.adapter.FreshetResourceAdapter;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

import javax.security.auth.Subject;
import java.io.PrintWriter;
import java.util.Set;

/** Creates managed connections to the adapter's engine. It has no properties, so all instances are equal. */
public class EngineManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {
    private static final long serialVersionUID = 1L;
    private transient FreshetResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new EngineConnectionFactoryImpl(this, manager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new jakarta.resource.NotSupportedException("Freshet's engine connections are available inside the container only");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        return new EngineManagedConnection(this);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set connections, Subject subject, ConnectionRequestInfo info) {
        for (Object c : connections) {
            if (c instanceof EngineManagedConnection mc) {
                return mc; // every connection reaches the same engine
            }
        }
        return null;
    }

    FreshetResourceAdapter adapter() throws ResourceException {
        if (resourceAdapter == null) {
            throw new ResourceException("this connection factory is not associated with the Freshet resource adapter");
        }
        return resourceAdapter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof FreshetResourceAdapter fra)) {
            throw new ResourceException("expected the Freshet resource adapter, got " + ra);
        }
        this.resourceAdapter = fra;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineManagedConnectionFactory;
    }

    @Override
    public int hashCode() {
        return EngineManagedConnectionFactory.class.hashCode();
    }
}
