/**
 * The profile model and the pstats file: {@link dev.jcprofile.format.ProfileData} (pstats's dict
 * {@code {(file, line, name): (cc, nc, tt, ct, callers)}} in flat arrays, in the dict's order),
 * {@link dev.jcprofile.format.FunctionKey}, {@link dev.jcprofile.format.Figures}, the marshal reader and writer
 * (every value CPython's {@code marshal} writes, versions 0 to 4), pstats's {@code add} and {@code strip_dirs}
 * ({@link dev.jcprofile.format.ProfileOps}) and atomic file reading and writing
 * ({@link dev.jcprofile.format.ProfileFiles}). Nothing here knows the JVM agent: Python's profiles and
 * jcprofile's are the same files.
 */
package dev.jcprofile.format;
