package com.example.hostile;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Class loaders created and dropped by the thousand: half plain URLClassLoaders, half the loaders of module layers
 * (where the plugin is a named module). Each loads the plugin, calls it once and is dropped; at the end every
 * loader must be collectable, so nothing (the profiler included) may keep one.
 */
class Loaders {
    static long runOne(ClassLoader loader, int i) throws Exception {
        IntUnaryOperator plug = (IntUnaryOperator) loader.loadClass("q.Plug").getDeclaredConstructor().newInstance();
        return plug.applyAsInt(i);
    }

    static ClassLoader layerLoader(Path plugin) {
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(plugin), ModuleFinder.of(), Set.of("plug"));
        return boot.defineModulesWithOneLoader(cf, Loaders.class.getClassLoader()).findLoader("plug");
    }

    static void run(Path plugin, int count) throws Exception {
        URL url = plugin.toUri().toURL();
        ReferenceQueue<ClassLoader> queue = new ReferenceQueue<>();
        List<Reference<ClassLoader>> refs = new ArrayList<>();
        long sum = 0;
        int named = 0;
        Object idsAfterFirst = null;
        for (int i = 0; i < count; i++) {
            ClassLoader loader;
            if (i % 2 == 0) {
                loader = new URLClassLoader(new URL[] {url}, Loaders.class.getClassLoader());
            } else {
                loader = layerLoader(plugin);
                named++;
            }
            sum += runOne(loader, i);
            refs.add(new WeakReference<>(loader, queue));
            if (loader instanceof URLClassLoader) ((URLClassLoader) loader).close();
            if (i == 9) idsAfterFirst = profilerIds();
        }
        int collected = 0;
        for (int attempt = 0; attempt < 100 && collected < count; attempt++) {
            System.gc();
            Thread.sleep(20);
            while (queue.poll() != null) collected++;
        }
        System.out.println("loaders " + count + " (" + named + " of module layers), sum " + sum);
        System.out.println("loaders collected " + collected + " of " + count);
        if (idsAfterFirst != null) System.err.println("profiler ids after 10 loaders " + idsAfterFirst + ", after " + count + " " + profilerIds());
        Reference.reachabilityFence(refs);
    }

    /** How many functions the profiler has registered, when it is there: one id per method, not per loader. */
    static Object profilerIds() {
        try {
            return Class.forName("dev.jcprofile.runtime.Registry", false, null).getMethod("count").invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
