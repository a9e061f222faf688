package dev.qflux.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the POP3 service (qmail-popup + qmail-pop3d) reads from the control directory.
 *
 * @param timeout          control/timeoutpop3 (default 1200 s, qmail-popup's and qmail-pop3d's
 *                         {@code timeout = 1200}): how long a client may stay silent
 * @param plaintextAnywhere control/pop3plaintext (default 0): 1 lets USER/PASS and APOP run
 *                         without TLS from any address; 0 allows them only under TLS or from
 *                         loopback (RFC 2595 section 2.4)
 * @param maildirName      control/pop3maildir (default {@code Maildir}, qmail-pop3d's usual
 *                         argument): the mailbox directory under the account's home
 * @param concurrency      control/concurrencypop3 (default 100): POP3 sessions at once
 * @param serverCert       control/servercert.pem (certificate chain and private key, PEM), or
 *                         null when that file is missing: then there is no STLS and a pop3s
 *                         listener cannot start
 */
public record Pop3Config(Duration timeout, boolean plaintextAnywhere, String maildirName,
                         int concurrency, Path serverCert) {
}
