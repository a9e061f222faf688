/**
 * The running process: wires configuration, spool and listeners together and owns the order in
 * which they start and stop (stop accepting before closing the spool, so nothing accepted is lost).
 */
package dev.qflux.daemon;
