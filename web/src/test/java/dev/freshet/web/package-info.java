/** Arquillian tests of the API on one Payara Micro (the built WAR, and the RAR beside it). */
package dev.freshet.web;
