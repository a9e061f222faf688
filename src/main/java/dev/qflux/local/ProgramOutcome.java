package dev.qflux.local;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.Set;

/**
 * What a {@code |program} line's exit status means (qmail-command(8)): 0 success, 99 success and
 * skip the remaining lines, 100 and the sysexits codes qmail-local treats as hard (64 usage, 65
 * data, 70 software, 76 protocol, 77 permission, 78 config, 112) a permanent failure, anything
 * else - including death by a signal and our timeout - a temporary one.
 */
record ProgramOutcome(RecipientOutcome outcome, boolean stopHere) {
    static final int SUCCESS = 0;
    static final int SUCCESS_SKIP_REST = 99;
    static final Set<Integer> PERMANENT = Set.of(64, 65, 70, 76, 77, 78, 100, 112);

    static ProgramOutcome of(UserProcesses.Result r, Duration timeout) {
        String output = Texts.oneLine(r.output());
        if (r.timedOut()) {
            return new ProgramOutcome(new RecipientOutcome.Deferred(
                    "Timeout on program delivery after " + timeout.toSeconds() + " seconds. (#4.3.0)"
                            + (output.isEmpty() ? "" : " " + output)), false);
        }
        int code = r.exitCode();
        if (code == SUCCESS || code == SUCCESS_SKIP_REST) {
            return new ProgramOutcome(new RecipientOutcome.Delivered(output), code == SUCCESS_SKIP_REST);
        }
        String text = output.isEmpty() ? "Program exited with status " + code + "." : output;
        if (PERMANENT.contains(code)) {
            return new ProgramOutcome(new RecipientOutcome.Failed(text), false);
        }
        return new ProgramOutcome(new RecipientOutcome.Deferred(text), false);
    }
}
