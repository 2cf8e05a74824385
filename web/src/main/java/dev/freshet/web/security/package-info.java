/**
 * Who may call what. Callers sign in with HTTP Basic against the node's accounts ({@code admin}, {@code viewer},
 * passwords from {@code freshet.auth.*}) or the enterprise directory ({@link dev.freshet.web.security.LdapAccounts}),
 * with an API token ({@code Authorization: Bearer}), or, in the console, through the enterprise's OpenID provider
 * ({@link dev.freshet.web.security.SignInServlet}). Directory and provider groups map to the roles admin, publisher
 * and viewer ({@link dev.freshet.web.security.GroupRoles}); which role may call what is declared in {@code web.xml}.
 */
package dev.freshet.web.security;
