/**
 * JMH microbenchmarks of qflux's hot paths: the code every accepted message runs through (the DATA
 * decoder first). Each benchmark feeds realistic wire bytes in the chunk sizes a Netty read delivers
 * and reports bytes per second through an auxiliary counter, so results compare directly with the
 * message rates that bench/accept measures end to end.
 */
package dev.qflux.bench;
