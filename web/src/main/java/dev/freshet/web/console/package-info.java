/** What the browser console needs from the server besides the API: response headers that harden it. */
package dev.freshet.web.console;
