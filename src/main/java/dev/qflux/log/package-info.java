/**
 * Logging: one line per event on stdout in qmail-send's format ({@code new msg M},
 * {@code info msg M: bytes B from <S> qp Q uid U}) so qmailanalog-style tools keep working, written
 * off the event loops by {@link dev.qflux.log.LogSink}; or, with control/logformat {@code json}, the
 * same events as one JSON object per line, and with control/logtimestamp a tai64n or ISO 8601 stamp.
 */
package dev.qflux.log;
