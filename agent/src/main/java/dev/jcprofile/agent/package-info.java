/**
 * The Java agent, loaded by the application class loader (or the system loader when attached): the entry points
 * ({@link dev.jcprofile.agent.Agent}, which first puts the runtime on the bootstrap path), start-up and the dump
 * at exit ({@link dev.jcprofile.agent.AgentStartup}), the options, the class transformer and the bytecode it
 * injects (ASM, shaded in the jar), the conversion of a session's totals to a profile
 * ({@code TotalsToProfile}), and what the {@code Profile} API needs ({@code ApiSession}, {@code SelfAttach}).
 * It depends on the runtime, which the JVM provides on the bootstrap path, and on the pstats core.
 */
package dev.jcprofile.agent;
