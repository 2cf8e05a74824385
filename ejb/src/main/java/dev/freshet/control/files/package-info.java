/**
 * A swarm's files over HTTP (issue 17): {@link dev.freshet.control.files.FileDownloads} finds a file of a swarm this
 * node holds (or starts fetching one published in the cluster) and hands out a
 * {@link dev.freshet.control.files.FileSource}, which reads only bytes of verified pieces. The HTTP shape (ranges,
 * ETags, streaming) lives in {@code web}.
 */
package dev.freshet.control.files;
