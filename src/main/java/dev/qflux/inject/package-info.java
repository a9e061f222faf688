/**
 * Local mail injection, qmail-inject's and sendmail's job: {@code qflux inject} (and {@code bin/sendmail})
 * reads a message from a local program, completes its header the way qmail-inject does (From, Date,
 * Message-ID, addresses without a domain), and hands it over durably by writing one file into the
 * queue's maildrop directory; {@link dev.qflux.inject.MaildropPickup} in the daemon moves those files
 * into the spool. The hand-off works whether the daemon runs or not, and the file format, flags and
 * exit codes are described in {@code docs/injection.md}.
 */
package dev.qflux.inject;
