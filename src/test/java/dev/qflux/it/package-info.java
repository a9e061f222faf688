/**
 * Integration tests: each class is one scenario that starts qflux as a real process on a temporary
 * conf directory, talks to it with real clients (swaks, Python smtplib, smtp-source, HAProxy, raw
 * sockets) and asserts both what the client saw and what the spool holds afterwards.
 */
package dev.qflux.it;
