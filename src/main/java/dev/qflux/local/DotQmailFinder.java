package dev.qflux.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * qmail-local's choice of {@code .qmail} file for an extension: {@code .qmail-foo-bar}, then
 * {@code .qmail-foo-default}, then {@code .qmail-default}; in the extension, letters are lowercased
 * and {@code .} becomes {@code :} so that no name can climb out of the home directory.
 */
final class DotQmailFinder {
    /** One file to try, and the part of the extension {@code default} stands for (env DEFAULT). */
    record Candidate(String fileName, String defaultPart) {
    }

    private DotQmailFinder() {
    }

    /** Names only, for the in-memory alias check. */
    static List<String> candidates(String dash, String ext) {
        List<String> names = new ArrayList<>();
        for (Candidate c : search(dash, ext)) {
            names.add(c.fileName());
        }
        return names;
    }

    /** Every file to try, in qmail-local's order; for an empty extension only {@code .qmail}. */
    static List<Candidate> search(String dash, String ext) {
        List<Candidate> list = new ArrayList<>();
        String safe = safe(ext);
        if (ext.isEmpty()) {
            list.add(new Candidate(".qmail" + dash, null));
            return list;
        }
        list.add(new Candidate(".qmail" + dash + safe, null));
        for (int i = safe.length(); i >= 0; i--) {
            if (i == 0 || safe.charAt(i - 1) == UserResolver.BREAK) {
                list.add(new Candidate(".qmail" + dash + safe.substring(0, i) + "default", ext.substring(i)));
            }
        }
        return list;
    }

    /** The name of a mailing list's owner file: {@code .qmail-ext-owner} (and {@code -owner-default}). */
    static String owner(String dash, String ext, String suffix) {
        return ".qmail" + dash + safe(ext) + "-" + suffix;
    }

    static String safe(String ext) {
        return ext.toLowerCase(Locale.ROOT).replace('.', ':').replace('/', ':');
    }
}
