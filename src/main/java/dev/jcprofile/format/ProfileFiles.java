package dev.jcprofile.format;

import dev.jcprofile.ProfileException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes pstats files, turning every failure into a one-line {@link ProfileException}. */
public final class ProfileFiles {
    private ProfileFiles() {}

    /** Reads a pstats file; {@code label} is the name the user gave it, used in messages. */
    public static ProfileData read(Path path, String label) throws ProfileException {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new ProfileException(label, "Is a directory");
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 16) throw new ProfileException(label, "too large to be a profile (" + size + " bytes)");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ProfileException(label, "No such file or directory");
        } catch (AccessDeniedException e) {
            throw new ProfileException(label, "Permission denied");
        } catch (ProfileException e) {
            throw e;
        } catch (FileSystemException e) {
            throw new ProfileException(label, e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        } catch (IOException | OutOfMemoryError e) {
            throw new ProfileException(label, String.valueOf(e.getMessage()));
        }
        return parse(bytes, label);
    }

    /** Parses the bytes of a pstats file. */
    public static ProfileData parse(byte[] bytes, String label) throws ProfileException {
        try {
            ProfileData data = new MarshalReader(bytes).readProfile();
            if (data.size() == 0) throw new ProfileException(label, "the profile holds no functions");
            return data;
        } catch (MarshalReader.BadData e) {
            throw new ProfileException(label, e.getMessage());
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ProfileException(label, "too deeply nested or too large to read");
        }
    }

    /**
     * A temporary file is private (0600); the profile should be as readable as any file the user writes: as the
     * file it replaces, or rw-r--r--.
     */
    private static void keepPermissions(Path tmp, Path target) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                    ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the default permissions stand.
        }
    }

    /** Writes a profile so that Python's {@code marshal.load} reads it back. */
    public static void write(ProfileData data, OutputStream out) throws IOException {
        new MarshalWriter().writeProfile(data, out);
    }

    /**
     * Writes a profile to a file atomically: a temporary file in the same directory, then a rename, so that no
     * reader ever sees half a file and a failure leaves any previous file of that name as it was.
     */
    public static void write(ProfileData data, Path path, String label) throws ProfileException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            keepPermissions(tmp, target);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                write(data, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (NoSuchFileException e) {
            throw new ProfileException(label, "No such file or directory");
        } catch (AccessDeniedException e) {
            throw new ProfileException(label, "Permission denied");
        } catch (FileSystemException e) {
            throw new ProfileException(label, e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new ProfileException(label, String.valueOf(e.getMessage()));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The temporary file is all that is left; the target was not touched.
                }
            }
        }
    }
}
