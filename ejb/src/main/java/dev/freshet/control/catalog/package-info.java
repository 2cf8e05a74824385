/**
 * This node's own records, in its embedded H2 database under the data directory (JPA, EclipseLink): the
 * swarms it holds (metainfo, save path, policy, verified pieces for resume, transfer totals) and its
 * settings. Nothing here is shared with other nodes; the {@code directory} package is.
 */
package dev.freshet.control.catalog;
