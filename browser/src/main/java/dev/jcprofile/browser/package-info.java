/**
 * jpstats, the pstats browser: {@link dev.jcprofile.browser.Main} and {@link dev.jcprofile.browser.Browser},
 * the command loop of {@code python3 -m pstats} over {@code Stats} with the same prompts, messages and help;
 * commands scripted on standard input, or typed at a terminal with line editing, completion and history
 * (JLine, shaded in the jar; loaded only at a terminal). It depends on the pstats core only.
 */
package dev.jcprofile.browser;
