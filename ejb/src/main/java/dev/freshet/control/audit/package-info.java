/** The node's audit log (issue 16): every changing call it served and every refused sign-in, in its catalog. */
package dev.freshet.control.audit;
