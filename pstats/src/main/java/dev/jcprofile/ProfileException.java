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

    public ProfileException(String file, String problem) {
        this(file, problem, null);
    }

    public ProfileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file as the user named it. */
    public String file() { return file; }

    /** What is wrong, without the file name. */
    public String problem() { return problem; }
}
