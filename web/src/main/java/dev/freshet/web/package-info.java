/**
 * The surface of a Freshet node: JAX-RS API, tracker endpoint, server-sent events and the admin
 * console. Filled by the node issue; for now it only lays out the module.
 */
package dev.freshet.web;
