/**
 * HTTP Basic authentication against the node's two accounts: {@code admin} (role admin: may change things)
 * and {@code viewer} (role viewer: may look), with passwords from {@code freshet.auth.*}. Which role may
 * call what is declared in {@code web.xml} (reads: both roles; every other method: admin).
 */
package dev.freshet.web.security;
