/**
 * Drives qflux and real outside peers from integration tests: a qflux process started from the
 * packaged jar on a generated qmail-style conf directory, free loopback ports, and wrappers for
 * swaks, Postfix's smtp-source and smtp-sink, HAProxy, raw SMTP transcripts and a recording load
 * client. Every peer is bound to loopback on a port picked at run time and stopped by its PID, so
 * tests can kill qflux at any instant and then read back what its spool holds.
 */
package dev.qflux.it.support;
