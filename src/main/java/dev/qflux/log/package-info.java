/**
 * Logging: one line per event on stdout in qmail-send's format ({@code new msg M},
 * {@code info msg M: bytes B from <S> qp Q uid U}) so qmailanalog-style tools keep working, written
 * off the event loops by {@link dev.qflux.log.LogSink}.
 */
package dev.qflux.log;
