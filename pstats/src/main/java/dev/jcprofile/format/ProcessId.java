package dev.jcprofile.format;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * This process's id, as {@code ProcessHandle.current().pid()} gives it, read from {@code /proc/self/status} where
 * the system has it: ProcessHandle's first use sets up its process reaper's machinery, about 15 ms of a short
 * program's start under the agent, which needs the id at start (the output's claim) and at exit (the temporary
 * file's name).
 */
public final class ProcessId {
    private ProcessId() {}

    private static volatile long known;

    public static long current() {
        long pid = known;
        if (pid <= 0) {
            pid = fromProc();
            if (pid <= 0) pid = ProcessHandle.current().pid();
            known = pid;
        }
        return pid;
    }

    /**
     * The last figure of the status's NSpid line: the id in the process's own pid namespace, which is getpid()'s
     * (proc(5)), whichever namespace /proc was mounted from; -1 when the line is missing (kernels before 4.1) or
     * anything else goes wrong.
     */
    static long fromProc() {
        try {
            byte[] b = Files.readAllBytes(Paths.get("/proc/self/status"));
            byte[] key = {'\n', 'N', 'S', 'p', 'i', 'd', ':'};
            next:
            for (int i = 0; i + key.length <= b.length; i++) {
                for (int k = 0; k < key.length; k++) {
                    if (b[i + k] != key[k]) continue next;
                }
                long last = -1;
                for (int j = i + key.length; j < b.length && b[j] != '\n'; ) {
                    if (b[j] < '0' || b[j] > '9') {
                        j++;
                        continue;
                    }
                    long n = 0;
                    for (int digits = 0; j < b.length && b[j] >= '0' && b[j] <= '9'; j++, digits++) {
                        if (digits == 18) return -1;
                        n = n * 10 + (b[j] - '0');
                    }
                    last = n;
                }
                return last;
            }
        } catch (Exception | LinkageError e) {
            // No /proc, or one that cannot be read: ProcessHandle answers.
        }
        return -1;
    }
}
