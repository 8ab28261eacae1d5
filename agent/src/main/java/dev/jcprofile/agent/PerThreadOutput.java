package dev.jcprofile.agent;

import dev.jcprofile.ProfileException;
import dev.jcprofile.format.ProfileData;
import dev.jcprofile.format.ProfileFiles;
import dev.jcprofile.runtime.Session;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code %T} in the output name: one profile per thread, each an ordinary pstats file of that thread's calls
 * alone. {@code %T} becomes the thread's name made safe for a file name, a dash and the thread's id
 * ({@code prof-%T.prof} gives {@code prof-main-1.prof}); see {@link #threadPart}. It is expanded last, at the
 * dump, in a name whose other tokens are already expanded.
 */
final class PerThreadOutput {
    private PerThreadOutput() {}

    static final String TOKEN = "%T";
    /** Longest name part kept: the id after it keeps names apart, and a file name has 255 bytes at most. */
    private static final int MAX_NAME = 64;

    /** Whether {@code output} asks for a profile per thread. */
    static boolean wanted(Path output) {
        return output != null && output.toString().contains(TOKEN);
    }

    /** {@code name} (other tokens already expanded) with each {@code %T} replaced by the thread's part. */
    static String expand(String name, String threadName, long threadId) {
        return name.replace(TOKEN, threadPart(threadName, threadId));
    }

    /**
     * The thread's name, with every character other than an ASCII letter, digit, {@code .}, {@code _} or
     * {@code -} replaced by {@code _}, a leading {@code .} too (no hidden file), cut to 64 characters; then
     * {@code -} and the thread's id. A thread without a name (a virtual thread, usually) gives its id alone.
     */
    static String threadPart(String threadName, long threadId) {
        StringBuilder b = new StringBuilder();
        String name = threadName == null ? "" : threadName;
        for (int i = 0; i < name.length() && b.length() < MAX_NAME; i++) {
            char c = name.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.' && b.length() > 0;
            b.append(safe ? c : '_');
        }
        if (b.length() > 0) b.append('-');
        return b.append(threadId).toString();
    }

    /**
     * Writes one profile per thread that recorded a call; says so, in one line, when none did. Stops at the first
     * file that cannot be written: the others would fail the same way.
     */
    static void write(Session session, Path output) {
        int written = 0;
        for (Session.ThreadFigures t : session.snapshotByThread()) {
            ProfileData data = TotalsToProfile.convert(t.totals(), 1e-9);
            if (data.size() == 0) continue;
            Path file = Paths.get(expand(output.toString(), t.name, t.id));
            try {
                ProfileFiles.write(data, file, file.toString());
                written++;
            } catch (ProfileException e) {
                System.err.println("jcprofile: cannot write the profile: " + e.getMessage());
                return;
            }
        }
        if (written == 0) System.err.println("jcprofile: no calls were recorded; " + output + " not written");
    }
}
