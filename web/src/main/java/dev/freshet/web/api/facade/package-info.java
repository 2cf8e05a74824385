/**
 * The API's JSON shapes (DTOs) and their assemblers from the control plane's domain values, as cargotracker's
 * {@code interfaces/.../facade}: the control plane ({@code ejb}) declares no JSON shape, and a new field in the
 * swarm list touches {@link dev.freshet.web.api.facade.SwarmDto} and {@link dev.freshet.web.api.facade.SwarmAssembler}.
 */
package dev.freshet.web.api.facade;
