package dev.jcprofile;

import java.io.IOException;

/**
 * A profile file that cannot be read or written: missing, unreadable, not a profile, damaged. The message is one
 * line, {@code FILE: PROBLEM}, fit to show a user as it is.
 */
public class ProfileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String problem;
    private final int errno;

    public ProfileException(String file, String problem) {
        this(file, problem, (Throwable) null);
    }

    public ProfileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
        this.errno = 0;
    }

    /** The system refused the file: {@code problem} is the error's text ({@code strerror}), errno its number. */
    public ProfileException(String file, String problem, int errno) {
        super(file + ": " + problem, null);
        this.file = file;
        this.problem = problem;
        this.errno = errno;
    }

    /** The system's error number when the system refused the file (Python raises OSError then), else 0. */
    public int errno() { return errno; }

    /** Python's {@code str(OSError)} for this error: {@code [Errno 2] No such file or directory: 'FILE'}. */
    public String pythonOsError() {
        return "[Errno " + errno + "] " + problem + ": " + dev.jcprofile.cpython.PyText.repr(file);
    }

    /** The file as the user named it. */
    public String file() { return file; }

    /** What is wrong, without the file name. */
    public String problem() { return problem; }
}
