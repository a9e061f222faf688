package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.MailPath;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction, from MAIL to the end of its data (RFC 5321 3.3). Event-loop confined. */
final class Transaction {
    final MailPath from;
    /** qmail-smtpd decides badmailfrom at MAIL but refuses at RCPT; we keep that order. */
    final boolean badSender;
    final List<String> recipients = new ArrayList<>();
    /** Set by the first BDAT: DATA is then refused (RFC 3030 section 2). */
    boolean bdat;
    /** A BDAT chunk was refused; later chunks of this transaction are read and refused too. */
    boolean bdatFailed;

    Transaction(MailPath from, boolean badSender) {
        this.from = from;
        this.badSender = badSender;
    }

    boolean smtputf8() {
        return from.params().containsKey("SMTPUTF8");
    }
}
