/**
 * CPython 3.11's behaviours that pstats's output depends on, reproduced exactly: Python's regular expressions
 * translated to {@code java.util.regex} ({@link dev.jcprofile.cpython.PyRegex}), {@code list.sort}'s timsort step
 * for step ({@link dev.jcprofile.cpython.PySort}), pstats's sort keys and their prefixes
 * ({@link dev.jcprofile.cpython.SortKeys}), and Python's text and number formatting: {@code repr},
 * {@code ljust}, code-point comparison, {@code "%8.3f"} and float {@code repr}
 * ({@link dev.jcprofile.cpython.PyText}, {@link dev.jcprofile.cpython.PyFormat}). Each is tested against the
 * machine's python3.
 */
package dev.jcprofile.cpython;
