/**
 * The hot path: the hooks that instrumented methods call ({@link dev.jcprofile.runtime.Hooks}), each thread's
 * tables of functions and caller-callee edges ({@code ThreadState}, {@code _lsprof.c}'s data model in flat
 * arrays), the sessions that merge them ({@link dev.jcprofile.runtime.Session}), the method ids
 * ({@link dev.jcprofile.runtime.Registry}), the clocks, the calibration and the sampler.
 *
 * <p>Loaded by the bootstrap class loader, so that classes of every loader can call it: it depends on the JDK
 * alone (its Maven module has no dependency), allocates nothing after warm-up, takes no lock on the hot path and
 * never throws into the program. Times stay in raw timer ticks; the agent turns them into seconds.
 */
package dev.jcprofile.runtime;
