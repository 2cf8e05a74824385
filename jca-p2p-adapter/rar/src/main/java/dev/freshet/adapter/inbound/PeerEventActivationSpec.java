package dev.freshet.adapter.inbound;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/** Activation of a {@code PeerEventListener} bean; it has nothing to configure. */
public class PeerEventActivationSpec implements ActivationSpec {
    private ResourceAdapter resourceAdapter;

    @Override
    public void validate() throws InvalidPropertyException {
        // nothing to validate: every listener receives every event
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) {
        this.resourceAdapter = ra;
    }
}
