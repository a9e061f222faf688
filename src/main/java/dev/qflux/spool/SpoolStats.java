package dev.qflux.spool;

/**
 * Counters since {@link SpoolWriter#open}.
 *
 * @param accepted messages made durable (their Mono succeeded)
 * @param flushes  fsync batches; {@code flushes < accepted} shows group commit at work
 * @param failures messages whose Mono failed, for any reason
 * @param bytes    body bytes of the accepted messages
 */
public record SpoolStats(long accepted, long flushes, long failures, long bytes) {
}
