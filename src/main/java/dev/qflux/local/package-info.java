/**
 * Local delivery (qmail-lspawn + qmail-local): decides which user a local recipient belongs to
 * ({@code users/assign}, the passwd database, the alias user), follows that user's {@code .qmail}
 * file - Maildir and mbox deliveries, {@code |program} lines, forwards - and reports one
 * {@link dev.qflux.deliver.RecipientOutcome} per recipient with qmail-local's wording. File and
 * process work runs on a bounded scheduler of its own; when qflux runs as root, everything done
 * in a user's home is done with that user's uid and gid, never as root.
 */
package dev.qflux.local;
