package dev.freshet.adapter.outbound;

import dev.freshet.adapter.api.EngineConnection;
import dev.freshet.adapter.api.EngineConnectionFactory;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import javax.naming.Reference;

/** The factory applications look up; connections come through the container's connection manager (pooling). */
final class EngineConnectionFactoryImpl implements EngineConnectionFactory {
    private static final long serialVersionUID = 1L;
    private final EngineManagedConnectionFactory mcf;
    private final transient ConnectionManager manager;
    private Reference reference;

    EngineConnectionFactoryImpl(EngineManagedConnectionFactory mcf, ConnectionManager manager) {
        this.mcf = mcf;
        this.manager = manager;
    }

    @Override
    public EngineConnection getConnection() throws ResourceException {
        return (EngineConnection) manager.allocateConnection(mcf, null);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
