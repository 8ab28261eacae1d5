package dev.jcprofile.runtime;

/** A thread of the profiler itself (the sampler, the calibration): never recorded, whatever it calls. */
final class ProfilerThread extends Thread {
    ProfilerThread(Runnable task, String name) {
        super(null, task, name, 0, false);
        setDaemon(true); // never keeps the program alive
    }
}
