package dev.qflux.smtp.protocol;

/**
 * The SMTP verbs qflux knows. Everything else, and every line whose first word is not purely
 * letters, is {@link #UNKNOWN}; qmail-smtpd answers those with "502 unimplemented".
 */
public enum Verb {
    HELO, EHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, VRFY, EXPN, HELP, STARTTLS, AUTH, UNKNOWN
}
