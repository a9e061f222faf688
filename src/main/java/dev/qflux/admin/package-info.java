/**
 * The admin endpoint of a running daemon: a small HTTP server on a loopback address by default,
 * behind a bearer token kept in a 0600 file of the conf directory, serving health and readiness
 * for load balancers, Prometheus metrics, and the operator's verbs (pause, cont, doqueue, reload,
 * stop, stat, queue) that {@code qflux} sends to it.
 */
package dev.qflux.admin;
