/**
 * API tokens for pipelines and scripts (issue 16): created by an admin with a role, an optional office scope and
 * expiry, shown once and kept only as a SHA-256 of their secret; valid on every node of the cluster (the grid holds
 * them, every node's catalog keeps a copy, newest change wins, so a revocation is never undone by a node that was
 * away). {@link dev.freshet.control.tokens.ApiTokens} is the service.
 */
package dev.freshet.control.tokens;
