/**
 * The queue on disk: qmail-queue's job. {@link dev.qflux.spool.SpoolWriter} is the only class that
 * writes it; it appends each accepted message (envelope in qmail-queue's format, then the body) to
 * a segment file and answers only after one shared fsync has made a whole batch durable (group
 * commit). The same writer appends delivery's DONE records to a state log, group-committed too,
 * and removes segments once all of their messages are finished; delivery learns of new messages
 * and reads their bodies through the writer's read side. {@link dev.qflux.spool.SpoolReader} reads
 * the same files without a lock for the queue tools, and {@link dev.qflux.spool.QueueReport} prints them the way qmail-qread and qmail-qstat
 * did. The file format, the states a message passes through and what recovery does after a crash
 * are written down in {@code docs/spool.md}.
 */
package dev.qflux.spool;
