package dev.freshet.adapter.outbound;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pooled "physical" connection: nothing physical, only the engine reference and its handles. */
final class EngineManagedConnection implements ManagedConnection {
    private final EngineManagedConnectionFactory mcf;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EngineConnectionHandle> handles = new CopyOnWriteArrayList<>();
    private PrintWriter logWriter;

    EngineManagedConnection(EngineManagedConnectionFactory mcf) {
        this.mcf = mcf;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        EngineConnectionHandle h = new EngineConnectionHandle(this, mcf.adapter());
        handles.add(h);
        return h;
    }

    void closed(EngineConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    @Override
    public void destroy() {
        cleanup();
    }

    @Override
    public void cleanup() {
        for (EngineConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof EngineConnectionHandle h)) {
            throw new ResourceException("not a Freshet engine connection: " + connection);
        }
        h.moveTo(this);
        handles.add(h);
    }

    void forget(EngineConnectionHandle handle) {
        handles.remove(handle);
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("Freshet engine operations are not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("Freshet engine operations are not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Freshet peer engine";
            }

            @Override
            public String getEISProductVersion() {
                return "0.1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return "";
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
