package dev.freshet.adapter;

import dev.freshet.adapter.inbound.EventDispatcher;
import dev.freshet.adapter.inbound.PeerEventActivationSpec;
import dev.freshet.engine.swarm.Engine;
import dev.freshet.engine.swarm.EngineConfig;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import javax.transaction.xa.XAResource;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Owns the node's peer engine (see the package doc). Config properties (from {@code ra.xml}) give
 * defaults that the node's settings override: see {@link PeerSettings}.
 */
public class FreshetResourceAdapter implements ResourceAdapter {
    private static final System.Logger LOG = System.getLogger(FreshetResourceAdapter.class.getName());

    private String peerBindAddress = "0.0.0.0";
    private Integer peerPort = 6881;

    private volatile Engine engine;
    private volatile Executor workExecutor;
    private volatile EventDispatcher dispatcher;

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        PeerSettings settings;
        java.util.Optional<dev.freshet.engine.tls.PeerTls> tls;
        try {
            settings = PeerSettings.resolve(peerBindAddress, peerPort, System::getProperty, System::getenv);
            tls = PeerSettings.tls(System::getProperty, System::getenv);
        } catch (IllegalArgumentException | IOException e) {
            throw new ResourceAdapterInternalException("Freshet peer settings: " + e.getMessage(), e);
        }
        Executor network = new WorkManagerExecutor(context.getWorkManager(), "network loop");
        Executor work = new WorkManagerExecutor(context.getWorkManager(), "hashing");
        EventDispatcher events = new EventDispatcher();
        try {
            work.execute(events);
            engine = Engine.start(EngineConfig.builder().listenAddress(settings.listen())
                    .scrubRate(settings.scrubRate()).scrubEvery(settings.scrubEvery()).peerTls(tls.orElse(null)).build(network, work), events);
        } catch (IOException | RuntimeException e) {
            events.stop();
            throw new ResourceAdapterInternalException("cannot start the Freshet peer engine on "
                    + settings.listen() + ": " + e.getMessage(), e);
        }
        workExecutor = work;
        dispatcher = events;
        LOG.log(System.Logger.Level.INFO, "Freshet peer engine listening on {0}; {1}", engine.listenAddress(),
                tls.map(t -> "TLS 1.3 with the cluster's members, certificate SHA-256 " + t.fingerprint())
                        .orElse("plain BitTorrent with everyone (freshet.peer.tls=off)"));
    }

    @Override
    public void stop() {
        Engine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
        EventDispatcher d = dispatcher;
        dispatcher = null;
        if (d != null) {
            d.stop();
        }
    }

    /** The running engine; fails when the adapter is not started (or already stopped). */
    public Engine engine() throws ResourceException {
        Engine e = engine;
        if (e == null) {
            throw new ResourceException("the Freshet resource adapter is not running");
        }
        return e;
    }

    /** Short-lived work on the container's threads (torrent creation, checks). */
    public Executor workExecutor() throws ResourceException {
        engine();
        return workExecutor;
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof PeerEventActivationSpec)) {
            throw new NotSupportedException("Freshet delivers only to PeerEventListener endpoints, not " + spec);
        }
        EventDispatcher d = dispatcher;
        if (d == null) {
            throw new ResourceException("the Freshet resource adapter is not running");
        }
        d.activate(factory);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        EventDispatcher d = dispatcher;
        if (d != null) {
            d.deactivate(factory);
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    public String getPeerBindAddress() {
        return peerBindAddress;
    }

    public void setPeerBindAddress(String peerBindAddress) {
        this.peerBindAddress = peerBindAddress;
    }

    public Integer getPeerPort() {
        return peerPort;
    }

    public void setPeerPort(Integer peerPort) {
        this.peerPort = peerPort;
    }

    // A resource adapter is a JavaBean the container may compare: by its configuration.
    @Override
    public boolean equals(Object o) {
        return o instanceof FreshetResourceAdapter other && peerBindAddress.equals(other.peerBindAddress)
                && peerPort.equals(other.peerPort);
    }

    @Override
    public int hashCode() {
        return peerBindAddress.hashCode() * 31 + peerPort;
    }
}
