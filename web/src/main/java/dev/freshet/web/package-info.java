/**
 * The node's surface: the JSON API ({@code api}), its security ({@code security}), health. Resources are
 * thin: they check the request's form, call one method of the control plane, and turn the result into JSON.
 */
package dev.freshet.web;
