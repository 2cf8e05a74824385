/** The REST API under {@code /api} (JAX-RS, JSON; errors as RFC 9457 problem details from {@link dev.freshet.web.api.ProblemMapper}). */
package dev.freshet.web.api;
