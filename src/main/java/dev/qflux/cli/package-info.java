/**
 * The {@code qflux} command line (picocli): {@code start}, {@code qread}, {@code qstat},
 * {@code inject}, {@code showctl}, {@code cdb}, {@code setup}, {@code passwd}, {@code queue}, and
 * the verbs that talk to a running daemon through its admin endpoint ({@code stop},
 * {@code restart}, {@code stat}, {@code pause}, {@code cont}, {@code doqueue}, {@code reload},
 * {@code top}), with exit codes scripts can test: sysexits.h's for configuration errors and
 * temporary failures, LSB's 3 for "not running".
 */
package dev.qflux.cli;
