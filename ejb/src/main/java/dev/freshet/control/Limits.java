package dev.freshet.control;

import dev.freshet.control.catalog.Catalog;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/** The node's global rate limits: kept in the catalog, applied to the engine. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Limits {
    @EJB
    Catalog catalog;
    @Inject
    NodeEngine engine;

    public RateLimits current() {
        return new RateLimits(catalog.setting("limit.download").map(Long::parseLong).orElse(0L),
                catalog.setting("limit.upload").map(Long::parseLong).orElse(0L));
    }

    public RateLimits set(RateLimits limits) {
        engine.run(c -> c.setGlobalLimits(limits.downloadLimit(), limits.uploadLimit()));
        catalog.setting("limit.download", Long.toString(limits.downloadLimit()));
        catalog.setting("limit.upload", Long.toString(limits.uploadLimit()));
        return limits;
    }
}
