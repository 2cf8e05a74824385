/**
 * The audit trail at the HTTP edge (issue 16): which calls change something, who made them, with which role, on
 * what; written to the node's audit log ({@code dev.freshet.control.audit}).
 */
package dev.freshet.web.audit;
