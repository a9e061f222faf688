package dev.qflux.inject;

import java.util.List;

/**
 * What the sendmail flags asked for.
 *
 * @param smtp               {@code -bs}: speak SMTP on stdin/stdout instead of reading one message
 * @param recipientsFromHeader {@code -t}: take recipients from To/Cc/Bcc as well as the arguments
 * @param sender             {@code -f}/{@code -r}: the envelope sender as given, null when absent
 * @param fullName           {@code -F}: the name for a From: field inject writes, null when absent
 * @param dotEndsInput       false with {@code -i}/{@code -oi}: a line holding only "." is content
 * @param recipients         the arguments after the flags
 */
record InjectRequest(boolean smtp, boolean recipientsFromHeader, String sender, String fullName,
                     boolean dotEndsInput, List<String> recipients) {
    InjectRequest {
        recipients = List.copyOf(recipients);
    }
}
