package dev.qflux.pop3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The TRANSACTION and UPDATE states of RFC 1939 (sections 5 and 6) on one locked Maildir:
 * message numbers, deletion marks that change nothing until QUIT, and the listing commands.
 * Event-loop confined; Maildir I/O goes to the context's I/O scheduler.
 */
final class MailboxSession {
    /** Digits a message number may have: more cannot name a message in any Maildir. */
    private static final int MAX_NUMBER_DIGITS = 9;

    private final Pop3Context ctx;
    private final String user;
    private final Maildrop drop;
    private final MaildropLock lock;
    private final BitSet deleted = new BitSet();
    private int retrieved;
    private boolean released;

    MailboxSession(Pop3Context ctx, String user, Maildrop drop, MaildropLock lock) {
        this.ctx = ctx;
        this.user = user;
        this.drop = drop;
        this.lock = lock;
    }

    /** {@code +OK N messages (M octets)}: the undeleted ones, as STAT counts them. */
    String summary() {
        return "+OK " + count() + " messages (" + octets() + " octets)";
    }

    Step stat() {
        return new Step.Reply("+OK " + count() + " " + octets());
    }

    Step list(String arg) {
        if (arg.isEmpty()) {
            List<String> lines = new ArrayList<>();
            forEachLive(i -> lines.add((i + 1) + " " + drop.messages().get(i).size()));
            return new Step.Lines(summary(), lines);
        }
        return withMessage(arg, i -> new Step.Reply("+OK " + (i + 1) + " " + drop.messages().get(i).size()));
    }

    /** RFC 1939 section 7: the unique-id of a Maildir message is its name before the info. */
    Step uidl(String arg) {
        if (arg.isEmpty()) {
            List<String> lines = new ArrayList<>();
            forEachLive(i -> lines.add((i + 1) + " " + drop.messages().get(i).uid()));
            return new Step.Lines("+OK unique-id listing follows", lines);
        }
        return withMessage(arg, i -> new Step.Reply("+OK " + (i + 1) + " " + drop.messages().get(i).uid()));
    }

    Step retr(String arg) {
        return withMessage(arg, i -> {
            Maildrop.Message m = drop.messages().get(i);
            return read(i, () -> MessageReader.whole(m.file()), "+OK " + m.size() + " octets", true);
        });
    }

    /** RFC 1939 section 7: TOP msg n, n a non-negative number of body lines. */
    Step top(String arg) {
        String[] words = arg.split(" +");
        if (words.length != 2 || !isNumber(words[1])) {
            return new Step.Reply("-ERR syntax: TOP message lines");
        }
        long lines = Long.parseLong(words[1]);
        return withMessage(words[0], i -> read(i, () -> MessageReader.top(drop.messages().get(i).file(), lines),
                "+OK top of message follows", false));
    }

    Step dele(String arg) {
        return withMessage(arg, i -> {
            deleted.set(i);
            return new Step.Reply("+OK message " + (i + 1) + " deleted");
        });
    }

    Step rset() {
        deleted.clear();
        return new Step.Reply(summary());
    }

    /** QUIT: the UPDATE state removes the marked messages, then the lock goes (RFC 1939 section 6). */
    Step quit(String client) {
        BitSet marked = (BitSet) deleted.clone();
        released = true;
        Mono<Integer> update = Mono.fromCallable(() -> {
            try {
                return drop.expunge(marked);
            } finally {
                lock.close();
            }
        }).subscribeOn(ctx.io()).onErrorResume(IOException.class, e -> {
            ctx.log().log("warning: pop3 user " + user + ": cannot delete from " + drop.path()
                    + ": " + e.getMessage());
            return Mono.just(-1);
        });
        return new Step.Later<>(update, removed -> {
            ctx.log().log("pop3 logout user " + user + " from " + client + " retrieved " + retrieved
                    + " deleted " + Math.max(removed, 0));
            return new Step.Close(removed < 0
                    ? "-ERR [SYS/TEMP] some deleted messages not removed"
                    : "+OK " + removed + " messages deleted");
        });
    }

    /** The connection ended without QUIT: nothing is deleted (RFC 1939 section 6), the lock goes. */
    void abort(String client) {
        if (released) {
            return;
        }
        released = true;
        ctx.log().log("pop3 logout user " + user + " from " + client + " retrieved " + retrieved
                + " deleted 0 (no QUIT: nothing deleted)");
        try {
            ctx.io().schedule(lock::close);
        } catch (RuntimeException shutDown) {
            lock.close(); // the scheduler is gone: the process is stopping
        }
    }

    private interface Opener {
        MessageReader open() throws IOException;
    }

    private Step read(int i, Opener opener, String status, boolean retrieval) {
        Mono<Object> open = Mono.<Object>fromCallable(opener::open).subscribeOn(ctx.io())
                .onErrorResume(e -> Mono.just(e));
        return new Step.Later<>(open, r -> {
            if (r instanceof MessageReader reader) {
                if (retrieval) {
                    retrieved++;
                }
                return new Step.Stream(status, reader);
            }
            ctx.log().log("warning: pop3 user " + user + ": cannot read "
                    + drop.messages().get(i).file() + ": " + ((Throwable) r).getMessage());
            return new Step.Reply("-ERR [SYS/TEMP] cannot read message " + (i + 1));
        });
    }

    private interface MessageStep {
        Step apply(int index);
    }

    /** Runs {@code step} with the 0-based index of a live message, or refuses (RFC 1939 section 5). */
    private Step withMessage(String arg, MessageStep step) {
        String number = arg.split(" ", 2)[0];
        if (!isNumber(number) || number.length() > MAX_NUMBER_DIGITS) {
            return new Step.Reply("-ERR no such message");
        }
        int n = Integer.parseInt(number);
        if (n < 1 || n > drop.messages().size()) {
            return new Step.Reply("-ERR no such message");
        }
        if (deleted.get(n - 1)) {
            return new Step.Reply("-ERR message " + n + " already deleted");
        }
        return step.apply(n - 1);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private void forEachLive(java.util.function.IntConsumer action) {
        for (int i = 0; i < drop.messages().size(); i++) {
            if (!deleted.get(i)) {
                action.accept(i);
            }
        }
    }

    private int count() {
        return drop.messages().size() - deleted.cardinality();
    }

    private long octets() {
        long sum = 0;
        for (int i = 0; i < drop.messages().size(); i++) {
            if (!deleted.get(i)) {
                sum += drop.messages().get(i).size();
            }
        }
        return sum;
    }
}
