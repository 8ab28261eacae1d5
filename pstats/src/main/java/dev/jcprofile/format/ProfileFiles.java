package dev.jcprofile.format;

import dev.jcprofile.ProfileException;
import dev.jcprofile.cpython.PyText;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Reads and writes pstats files, turning every failure into a one-line {@link ProfileException}. */
public final class ProfileFiles {
    private ProfileFiles() {}

    /** The message when the reader's own limits failed to stop it; tests make sure no input gets here. */
    static final String LAST_RESORT = "too deeply nested or too large to read";

    /** Reads a pstats file; {@code label} is the name the user gave it, used in messages. */
    public static ProfileData read(Path path, String label) throws ProfileException {
        byte[] bytes;
        // open("") fails with ENOENT in Python; the empty Path is the current directory to Java.
        if (path.toString().isEmpty()) throw osError(label, "No such file or directory");
        try {
            if (Files.isDirectory(path)) throw osError(label, "Is a directory");
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 16) throw new ProfileException(label, "too large to be a profile (" + size + " bytes)");
            try (FileChannel in = FileChannel.open(path)) {
                bytes = readFully(in, size);
            }
        } catch (NoSuchFileException e) {
            // JDK 25 reports ENOTDIR (a file where a directory should be) as a missing file; open() says ENOTDIR.
            throw osError(label, underAFile(path) ? "Not a directory" : "No such file or directory");
        } catch (AccessDeniedException e) {
            throw osError(label, "Permission denied");
        } catch (ProfileException e) {
            throw e;
        } catch (FileSystemException e) {
            throw osError(label, e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
        } catch (IOException | OutOfMemoryError e) {
            throw new ProfileException(label, String.valueOf(e.getMessage()));
        }
        return parse(bytes, label);
    }

    private static boolean underAFile(Path path) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p)) return true;
        }
        return false;
    }

    /**
     * The system's errors a file can meet on reading, by their text (glibc's strerror, which the JDK gives as a
     * FileSystemException's reason) and number (Linux's), so that the browser can print them as Python's OSError
     * prints them. The JDK appends to some texts (ELOOP's "... or unable to access attributes of symbolic link"):
     * they match by their start.
     */
    private static final String[][] ERRNOS = {
        {"No such file or directory", "2"}, {"Permission denied", "13"}, {"Is a directory", "21"},
        {"Not a directory", "20"}, {"File name too long", "36"}, {"Too many levels of symbolic links", "40"},
        {"Input/output error", "5"}, {"Operation not permitted", "1"}, {"No such device or address", "6"},
        {"Too many open files in system", "23"}, {"Too many open files", "24"}, {"Stale file handle", "116"},
        {"No such device", "19"}, {"Value too large for defined data type", "75"}, {"Invalid argument", "22"},
        {"Text file busy", "26"}, {"Device or resource busy", "16"}, {"Cannot allocate memory", "12"},
    };

    /** A failure the system reported: with its errno when its text is one of {@link #ERRNOS}. */
    static ProfileException osError(String label, String reason) {
        for (String[] e : ERRNOS) {
            if (reason.startsWith(e[0])) return new ProfileException(label, e[0], Integer.parseInt(e[1]));
        }
        return new ProfileException(label, reason);
    }

    /**
     * The bytes of a file through java.io, or null on any failure or doubt (a directory, a file too large), for
     * {@link #read(Path, String)} to find the message.
     */
    public static byte[] readOrNull(File file) {
        if (file.isDirectory() || file.length() > Integer.MAX_VALUE - 16) return null;
        try (FileChannel in = new FileInputStream(file).getChannel()) {
            return readFully(in, file.length());
        } catch (IOException | OutOfMemoryError | SecurityException e) {
            return null;
        }
    }

    /**
     * The whole of a file of about {@code size} bytes (it may have changed since), read in blocks of 64 KB: the
     * JDK reads a heap array through a native buffer as large as the request (Files.readAllBytes asks for the whole
     * file), which the system must fault in page by page; a 64 KB buffer is reused, and costs a tenth of the time
     * on a 40 MB profile.
     */
    private static byte[] readFully(FileChannel in, long size) throws IOException {
        byte[] bytes = new byte[(int) Math.max(0, Math.min(size, Integer.MAX_VALUE - 16))];
        int filled = 0;
        while (true) {
            if (filled == bytes.length) {
                ByteBuffer probe = ByteBuffer.allocate(1);
                int n;
                while ((n = in.read(probe)) == 0) { } // a channel blocks: 0 only for an empty request
                if (n < 0) return bytes;
                // More than the size said (a file that grew, a pipe): read on, as Python's read() does.
                if (bytes.length >= Integer.MAX_VALUE - 16) throw new IOException("too large to be a profile");
                bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1 << 16, bytes.length * 2L)));
                bytes[filled++] = probe.get(0);
            }
            int n = in.read(ByteBuffer.wrap(bytes, filled, Math.min(READ_BLOCK, bytes.length - filled)));
            if (n < 0) return filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled);
            filled += n;
        }
    }

    private static final int READ_BLOCK = 1 << 16;

    /** Parses the bytes of a pstats file. */
    public static ProfileData parse(byte[] bytes, String label) throws ProfileException {
        try {
            MarshalReader reader = new MarshalReader(bytes);
            ProfileData data = reader.readProfile();
            if (data.size() == 0) {
                // pstats refuses it too ("Cannot create or construct a Stats object").
                throw new ProfileException(label, "not a profile: the dict of function statistics is empty");
            }
            readTree(data, bytes, reader.position(), label);
            return data;
        } catch (MarshalReader.BadData e) {
            throw new ProfileException(label, e.wholeFile ? e.getMessage() : notMarshal(bytes, e.getMessage()));
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ProfileException(label, LAST_RESORT);
        }
    }

    /**
     * The calling-context tree after the pstats dict, if any, onto {@code data}. A damaged tree costs the tree only:
     * the table is read as Python reads it, and one line on standard error says the tree was left out.
     */
    private static void readTree(ProfileData data, byte[] bytes, int offset, String label) {
        try {
            data.setTree(TreeMarshal.read(bytes, offset));
        } catch (TreeMarshal.Damaged e) {
            System.err.println(label + ": the call tree after the statistics is damaged (" + e.getMessage()
                    + "); the statistics are read without it");
        }
    }

    /** Type codes a marshal stream can start with (marshal.c's TYPE_ constants, Python 2's included). */
    private static final String TYPE_CODES = "0NFTS.iIlfgxyuatAzZsR()[{<>cr";

    /**
     * A file that is no marshal data at all is said to be so, rather than damaged: text (a report saved instead of
     * the profile, a script, JSON) or a binary file of another kind.
     */
    private static String notMarshal(byte[] bytes, String problem) {
        String text = textStart(bytes);
        if (text != null) {
            return "not a profile: the file holds text, not marshal data (it starts " + PyText.repr(text) + ")";
        }
        if (bytes.length > 0 && TYPE_CODES.indexOf(bytes[0] & 0x7f) < 0) {
            return String.format("not a profile: the file is not Python marshal data (its first byte, 0x%02x, is no"
                    + " marshal type code)", bytes[0] & 0xff);
        }
        return problem;
    }

    /**
     * The first line (at most 40 characters) if the file's start reads as text, else null. Two bytes are no
     * evidence: "{(" also starts a profile cut short, whose third byte is always a control character (a key
     * tuple's size, 3).
     */
    static String textStart(byte[] bytes) {
        int n = Math.min(bytes.length, 4096);
        if (n < 3) return null;
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n));
        } catch (CharacterCodingException e) {
            if (n == bytes.length) return null;
            // The cut at 4096 bytes may split a character: judge what precedes it.
            ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
            CharBuffer out = CharBuffer.allocate(n);
            java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, out, false);
            if (r.isError() || in.remaining() > 3) return null;
            chars = out.flip();
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            boolean control = c < 0x20 ? c != '\t' && c != '\n' && c != '\r' && c != '\f' : c >= 0x7f && c < 0xa0;
            if (control) return null;
        }
        String s = chars.toString();
        int eol = s.indexOf('\n');
        if (eol >= 0) s = s.substring(0, eol);
        s = PyText.strip(s);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ---------------------------------------------------------------- temporary files of interrupted dumps

    /*
     * A dump killed before its rename (SIGKILL, power loss) leaves its temporary file, ".NAME.WRITER.RANDOM.tmp",
     * beside the profile; the next successful dump to the same place removes such files, but only those whose writer
     * is certainly gone, since several JVMs may be writing to one directory at once (a build's forks, a fleet on a
     * shared volume). WRITER is "PID-NAMESPACE": the writer's process id and a tag of the pid namespace it was
     * counted in (the boot id and the namespace's inode, so the tag differs across hosts, boots and containers).
     * In our own namespace the process table answers for certain: no process of that id, or one started after
     * the file was last written (the id was reused), means the writer is dead, and the file goes at once; a live
     * process that could be the writer keeps it, however old. A file from another namespace or host, or of the
     * earlier form without WRITER (".NAME.RANDOM.tmp"), cannot be checked that way: it goes only when nothing has
     * written to it for STALE_AFTER_MILLIS, far longer than any dump takes (a dump writes continuously and takes
     * seconds even for the largest profiles).
     */
    static final long STALE_AFTER_MILLIS = 60 * 60 * 1000L;

    /** Loaded on the first write only: reading profiles, jpstats's whole work, needs none of it. */
    static final class Writer {
        private Writer() {}
        /** This process's namespace tag, or "0" where there is no /proc to read it from. */
        static final String NAMESPACE = namespaceTag();
        /** WRITER of this process's temporary files. */
        static final String WRITER = ProcessId.current() + "-" + NAMESPACE;
    }

    private static String namespaceTag() {
        try {
            String boot = new String(Files.readAllBytes(Path.of("/proc/sys/kernel/random/boot_id")),
                    StandardCharsets.US_ASCII).trim();
            String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(); // "pid:[4026531836]"
            long h = 1125899906842597L;
            for (char c : (boot + "/" + ns).toCharArray()) h = 31 * h + c;
            return Long.toUnsignedString(h, 36);
        } catch (IOException | RuntimeException e) {
            return "0";
        }
    }

    /** Removes the temporary files of interrupted dumps of {@code name} in {@code dir} whose writers are gone. */
    static void removeStale(Path dir, String name) {
        String prefix = "." + name + ".";
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> { String f = p.getFileName().toString(); return f.startsWith(prefix) && f.endsWith(".tmp"); })) {
            long now = System.currentTimeMillis();
            for (Path p : entries) {
                String f = p.getFileName().toString();
                String middle = f.substring(prefix.length(), f.length() - ".tmp".length());
                try {
                    if (isStale(middle, Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis(), now)
                            && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone already, or not ours to remove: the dump itself succeeded
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable directory: nothing to clean
        }
    }

    /** Loaded only when a temporary file is there to judge: a dump that finds none compiles no pattern. */
    private static final class StaleNames {
        private StaleNames() {}
        static final java.util.regex.Pattern CURRENT = java.util.regex.Pattern.compile("(\\d{1,19})-([0-9a-z]{1,13})\\.[0-9a-z]{1,13}");
        static final java.util.regex.Pattern EARLIER = java.util.regex.Pattern.compile("[0-9a-z]{1,13}");
    }

    /** Whether the temporary file whose name holds {@code middle} (between ".NAME." and ".tmp") was abandoned. */
    static boolean isStale(String middle, long modifiedMillis, long nowMillis) {
        java.util.regex.Matcher m = StaleNames.CURRENT.matcher(middle);
        boolean old = nowMillis - modifiedMillis > STALE_AFTER_MILLIS;
        if (m.matches()) {
            if (!m.group(2).equals(Writer.NAMESPACE) || Writer.NAMESPACE.equals("0")) return old;
            long pid;
            try {
                pid = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return false;
            }
            java.util.Optional<ProcessHandle> writer = ProcessHandle.of(pid);
            if (writer.isEmpty()) return true;
            java.util.Optional<java.time.Instant> start = writer.get().info().startInstant();
            // The process start is known to the clock tick; a second's margin keeps a live writer's file.
            return start.isPresent() && start.get().toEpochMilli() > modifiedMillis + 1000;
        }
        return StaleNames.EARLIER.matcher(middle).matches() && old;
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
        writeAtomically(path, label, out -> write(data, out));
    }

    /** What {@link #writeAtomically} writes into the new file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically, as profiles are written (a temporary file beside it, then a rename; a replaced
     * file keeps its permissions; stale temporary files of an interrupted earlier write removed): a failure
     * leaves any previous file of that name as it was, and is one {@link ProfileException} naming {@code label}.
     */
    public static void writeAtomically(Path path, String label, Content content) throws ProfileException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            OutputStream created = null;
            for (int attempt = 0; created == null; attempt++) {
                // Not Files.createTempFile: its owner-only mode would end up on the profile. A plain new file gets
                // what the umask leaves, as Python's open() gives pstats's dump_stats.
                Path candidate = dir.resolve("." + target.getFileName() + "." + Writer.WRITER + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    created = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 100) throw e;
                }
            }
            try (OutputStream out = new BufferedOutputStream(created, 1 << 16)) {
                content.writeTo(out);
            }
            if (Files.isRegularFile(target)) {
                // A replaced profile keeps its permissions.
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException | IOException e) {
                    // not a POSIX file system, or not ours to change: the new file keeps the default mode
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            removeStale(dir, target.getFileName().toString());
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
