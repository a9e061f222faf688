/**
 * The {@code qflux} command line (picocli): {@code start}, {@code qread}, {@code qstat},
 * {@code inject}, {@code showctl}, {@code cdb}, {@code setup}, with the
 * exit codes of sysexits.h so scripts can tell a configuration error from a temporary failure.
 */
package dev.qflux.cli;
