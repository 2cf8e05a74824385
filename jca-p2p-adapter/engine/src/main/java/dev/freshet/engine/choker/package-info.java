/**
 * Whom to upload to: the choking algorithm of BEP 3 practice (tit-for-tat plus one rotating
 * optimistic unchoke), as a pure function of peer rates with injected randomness.
 */
package dev.freshet.engine.choker;
