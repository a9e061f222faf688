package dev.qflux.spool;

/**
 * Counters since {@link SpoolWriter#open}.
 *
 * @param accepted     messages made durable (their Mono succeeded)
 * @param flushes      fsync batches; {@code flushes < accepted} shows group commit at work
 * @param failures     messages whose Mono failed, for any reason
 * @param bytes        body bytes of the accepted messages
 * @param doneRecords  DONE records made durable ({@link SpoolWriter#recordDone})
 * @param doneFlushes  fsyncs of the state log; {@code doneFlushes < doneRecords} shows its group commit
 */
public record SpoolStats(long accepted, long flushes, long failures, long bytes, long doneRecords, long doneFlushes) {
}
