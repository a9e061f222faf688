package dev.qflux.inject;

import java.util.List;

/**
 * Parses sendmail's command line the way getopt does (flags may be clustered, a flag's value may
 * be attached or the next argument, "--" or the first non-flag ends the flags). Flags that only
 * tune sendmail's own delivery modes are accepted and ignored, as qmail's sendmail does; anything
 * else is a usage error rather than a silent surprise.
 */
final class SendmailArgs {
    static final String USAGE = "usage: sendmail [-t] [-i] [-f sender] [-F name] [-bm|-bs] [recipient ...]";

    /** Flags without a value that change nothing here: verbose, me-too, SVR4, no-aliasing, submission, relay-check. */
    private static final String IGNORED = "vmxnUGEJ";
    /** Flags with a value that change nothing here: body type, protocol, DSN notify/ret/envid, tag, hops, error mode, -O option. */
    private static final String IGNORED_WITH_VALUE = "BpNRVLheO";

    private SendmailArgs() {
    }

    static InjectRequest parse(List<String> args) throws InjectException {
        boolean smtp = false;
        boolean headers = false;
        boolean dotEnds = true;
        String sender = null;
        String name = null;
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                break;
            }
            if (arg.startsWith("--")) {
                throw usage("unknown option " + arg); // sendmail has no long options
            }
            i++;
            for (int j = 1; j < arg.length(); j++) {
                char flag = arg.charAt(j);
                if (flag == 't') {
                    headers = true;
                } else if (flag == 'i') {
                    dotEnds = false;
                } else if (IGNORED.indexOf(flag) >= 0) {
                    continue;
                } else if ("frFobBpNRVLheO".indexOf(flag) >= 0) {
                    String value;
                    if (j + 1 < arg.length()) {
                        value = arg.substring(j + 1);
                    } else if (i < args.size()) {
                        value = args.get(i++);
                    } else {
                        throw usage("option -" + flag + " needs a value");
                    }
                    if (flag == 'f' || flag == 'r') {
                        sender = value;
                    } else if (flag == 'F') {
                        name = value;
                    } else if (flag == 'o') {
                        // -oi is -i; -oem, -odi, -odb, -oQ... tune sendmail's own queue: ignored.
                        if (value.equals("i")) {
                            dotEnds = false;
                        }
                    } else if (flag == 'b') {
                        smtp = mode(value);
                    } else if (IGNORED_WITH_VALUE.indexOf(flag) < 0) {
                        throw new IllegalStateException("flag -" + flag);
                    }
                    break; // the value used up the rest of this argument
                } else {
                    throw usage("unknown option -" + printable(flag));
                }
            }
        }
        return new InjectRequest(smtp, headers, sender, name, dotEnds, args.subList(i, args.size()));
    }

    /** -bm (the default) reads a message; -bs speaks SMTP; the other modes belong to other tools. */
    private static boolean mode(String value) throws InjectException {
        if (value.equals("m")) {
            return false;
        }
        if (value.equals("s")) {
            return true;
        }
        if (value.equals("p")) {
            throw usage("-bp is not supported here; use qflux qread to list the queue");
        }
        throw usage("-b" + value + " is not supported (only -bm and -bs)");
    }

    private static InjectException usage(String problem) {
        return new InjectException(Sysexits.USAGE, problem + "\n" + USAGE);
    }

    private static String printable(char c) {
        return c >= 0x21 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
