package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;

/** What the connection must do after a command line: the session's answer to the transport. */
sealed interface Step {
    /** Send the reply and read the next command. */
    record Answer(Reply reply) implements Step {
    }

    /** Send the reply, then close the connection. */
    record Close(Reply reply) implements Step {
    }

    /** 354 was decided: send it and read message content until CRLF.CRLF. */
    record ReceiveData(Reply goAhead) implements Step {
    }

    /**
     * Read exactly {@code size} octets of BDAT content (RFC 3030 section 2: they must be read even
     * when the command is refused). When {@code refusal} is not null the octets are discarded and
     * it is the answer; otherwise they belong to the message.
     */
    record ReceiveChunk(long size, boolean last, Reply refusal) implements Step {
    }

    /**
     * STARTTLS accepted (RFC 3207 section 4): send the reply in plain text, discard anything the
     * client sent after the command, and begin the TLS handshake.
     */
    record StartTls(Reply ready) implements Step {
    }

    /** AUTH finished its exchange: check these credentials, off the event loop, then answer. */
    record CheckCredentials(dev.qflux.auth.Credentials credentials) implements Step {
        @Override
        public String toString() {
            return "CheckCredentials[" + credentials + "]";
        }
    }
}
