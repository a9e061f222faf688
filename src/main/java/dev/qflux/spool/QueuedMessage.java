package dev.qflux.spool;

/** A message the spool has made durable: its queue id, size in bytes and birth (epoch millis). */
public record QueuedMessage(long id, long bytes, long birthMillis) {
}
