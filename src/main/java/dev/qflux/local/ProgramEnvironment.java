package dev.qflux.local;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment qmail-local gives {@code |program} lines (qmail-command(8)): who the message is
 * from and for, the address split into its parts, and the lines qmail-local would add, so a
 * program can write the message the same way ({@code $UFLINE$RPLINE$DTLINE}).
 */
final class ProgramEnvironment {
    private ProgramEnvironment() {
    }

    /**
     * @param defaultPart what {@code default} stood for in the {@code .qmail-...-default} file used,
     *                    or null when no such file was used (then DEFAULT is not set)
     */
    static Map<String, String> of(String sender, String newSender, String recipient, LocalUser user,
                                  String defaultPart, String ufLine, String rpLine, String dtLine) {
        Map<String, String> env = new HashMap<>();
        int at = recipient.lastIndexOf('@');
        String local = at < 0 ? recipient : recipient.substring(0, at);
        String host = at < 0 ? "" : recipient.substring(at + 1);
        env.put("PATH", UserProcesses.PROGRAM_PATH);
        env.put("SENDER", sender);
        env.put("NEWSENDER", newSender);
        env.put("RECIPIENT", recipient);
        env.put("USER", user.name());
        env.put("HOME", user.home().toString());
        env.put("LOCAL", local);
        env.put("HOST", host);
        String h = host;
        for (int n = 2; n <= 4; n++) { // HOST2: HOST before its last dot; HOST3, HOST4 one more each
            int dot = h.lastIndexOf('.');
            h = dot < 0 ? h : h.substring(0, dot);
            env.put("HOST" + n, h);
        }
        String ext = user.ext();
        env.put("EXT", ext);
        String e = ext;
        for (int n = 2; n <= 4; n++) { // EXT2: EXT after its first dash; EXT3, EXT4 one more each
            int dash = e.indexOf(UserResolver.BREAK);
            e = dash < 0 ? "" : e.substring(dash + 1);
            env.put("EXT" + n, e);
        }
        if (defaultPart != null) {
            env.put("DEFAULT", defaultPart);
        }
        env.put("UFLINE", ufLine);
        env.put("RPLINE", rpLine);
        env.put("DTLINE", dtLine);
        return env;
    }
}
