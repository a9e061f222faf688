/**
 * Who may log in: checks a user's password for SMTP AUTH and POP3 through qmail's
 * checkpassword interface or qflux's own password file, off the event loops.
 */
package dev.qflux.auth;
