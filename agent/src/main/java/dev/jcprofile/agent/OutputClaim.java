package dev.jcprofile.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output name held by one running JVM, so that two JVMs given the same name (a build and its test forks, both
 * started through {@code JAVA_TOOL_OPTIONS}) never overwrite each other's profile: the first to start keeps the
 * name, a JVM that starts while another holds it writes {@code NAME-PID} (before the extension:
 * {@code tests-4242.prof}) instead and says so. A JVM that starts after the other has ended replaces its file, as a
 * second run of the same command does.
 *
 * <p>A name is held by a lock on one byte of {@code .jcprofile.lock} in its directory, at an offset given by a
 * hash of the file name; the operating system drops the locks of a JVM that ends, however it ends. The file is
 * never deleted: a JVM that opened it just before another deleted it would lock a file no one else sees. Nor is it
 * opened twice by one JVM: closing any descriptor of a file drops all of the process's POSIX locks on it.
 */
final class OutputClaim {
    static final String LOCK_FILE = ".jcprofile.lock";

    /** Where this JVM writes its profile. */
    final Path path;
    /** Whether another running JVM holds the name asked for, and this one writes elsewhere. */
    final boolean diverted;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputClaim(Path path, boolean diverted, FileChannel channel, FileLock lock) {
        this.path = path;
        this.diverted = diverted;
        this.channel = channel;
        this.lock = lock;
    }

    /** An output that cannot be written; the message is one line, {@code FILE: PROBLEM}. */
    static final class Unwritable extends Exception {
        private static final long serialVersionUID = 1L;

        Unwritable(Path file, String problem) {
            super(file + ": " + problem, null, false, false);
        }
    }

    /**
     * Holds {@code name} for this JVM, or the first free one of {@code NAME-PID}, {@code NAME-PID-2}, ... when
     * other running JVMs hold it. Fails when the name cannot be written at all (no such directory, not one, not
     * writable, a directory of that name), which is said before the program runs rather than after.
     */
    static OutputClaim claim(Path name, long pid) throws Unwritable {
        check(name);
        Path lockFile = name.resolveSibling(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // Another user's, in a shared directory: this JVM cannot take part, but can still write its profile.
            if (e instanceof AccessDeniedException && Files.exists(lockFile) && Files.isWritable(name.getParent())) {
                return new OutputClaim(name, false, null, null);
            }
            throw unwritable(name, e);
        }
        for (int n = 0; n <= 100; n++) {
            Path candidate = n == 0 ? name : withSuffix(name, "-" + pid + (n == 1 ? "" : "-" + n));
            if (n > 0) check(candidate);
            FileLock lock;
            try {
                lock = channel.tryLock(offset(candidate.getFileName().toString()), 1, false);
            } catch (IOException | OverlappingFileLockException e) {
                // A file system without locks: nothing to coordinate with, the name is written as given.
                close(channel);
                return new OutputClaim(name, false, null, null);
            }
            if (lock != null) return new OutputClaim(candidate, n > 0, channel, lock);
        }
        close(channel);
        throw new Unwritable(name, "more than 100 running JVMs write this name");
    }

    /**
     * The byte that stands for a file name: FNV-1a's 64-bit hash, cut to 48 bits (every file system locks that
     * far), so two names of a directory share a byte once in 10^14 pairs and one then writes NAME-PID.
     */
    static long offset(String fileName) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < fileName.length(); i++) {
            h ^= fileName.charAt(i);
            h *= 0x100000001b3L;
        }
        return h >>> 16;
    }

    /** Lets the name go, once the profile is written (or will not be). */
    void release() {
        if (channel == null) return;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing releases it too
        }
        close(channel);
    }

    /** The reasons the operating system would give, before anything is created. */
    static void check(Path name) throws Unwritable {
        if (Files.isDirectory(name)) throw new Unwritable(name, "Is a directory");
        Path dir = name.getParent();
        if (dir == null) return;
        if (!Files.exists(dir)) throw new Unwritable(name, "No such file or directory");
        if (!Files.isDirectory(dir)) throw new Unwritable(name, "Not a directory");
    }

    static Unwritable unwritable(Path name, IOException e) {
        if (e instanceof NoSuchFileException) return new Unwritable(name, "No such file or directory");
        if (e instanceof AccessDeniedException) return new Unwritable(name, "Permission denied");
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return new Unwritable(name, ((FileSystemException) e).getReason());
        }
        return new Unwritable(name, String.valueOf(e.getMessage()));
    }

    /** {@code tests.prof} with {@code -4242}: {@code tests-4242.prof}; a name without an extension gets it at the end. */
    static Path withSuffix(Path name, String suffix) {
        String file = name.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String renamed = dot > 0 ? file.substring(0, dot) + suffix + file.substring(dot) : file + suffix;
        return name.resolveSibling(renamed);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written that matters
        }
    }

}
