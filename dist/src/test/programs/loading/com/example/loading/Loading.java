package com.example.loading;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Loads generated classes through a class loader whose getResourceAsStream is slow: the profiler's transformer
 * reads class files through it (to learn where calls land), so the time the profiler's work takes on the loading
 * thread is known to the program, which prints it beside the time loading took.
 * Arguments: the directory of the generated classes, how many (gen.Gen0..), milliseconds each resource read spins.
 */
public class Loading {
    static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();

    /** Defines classes from a directory; its resources take {@code spinNanos} of CPU each to read. */
    static final class SlowResources extends ClassLoader {
        final Path dir;
        final long spinNanos;
        long resourceWall, resourceCpu;
        int resourceCalls;

        SlowResources(Path dir, long spinNanos) {
            super(Loading.class.getClassLoader());
            this.dir = dir;
            this.spinNanos = spinNanos;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = Files.readAllBytes(dir.resolve(name.replace('.', '/') + ".class"));
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            long w0 = System.nanoTime(), c0 = BEAN.getCurrentThreadCpuTime();
            long x = 0;
            while (BEAN.getCurrentThreadCpuTime() - c0 < spinNanos) x += x * 31 + 7; // CPU, so that every timer sees it
            resourceCalls += x == 42 ? 2 : 1;
            try {
                Path p = dir.resolve(name);
                return Files.exists(p) ? new ByteArrayInputStream(Files.readAllBytes(p)) : super.getResourceAsStream(name);
            } catch (IOException e) {
                return null;
            } finally {
                resourceWall += System.nanoTime() - w0;
                resourceCpu += BEAN.getCurrentThreadCpuTime() - c0;
            }
        }
    }

    static int loadAll(ClassLoader loader, int n) throws Exception {
        int sum = 0;
        for (int i = 0; i < n; i++) sum += (int) loader.loadClass("gen.Gen" + i).getMethod("run").invoke(null);
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        int n = Integer.parseInt(args[1]);
        SlowResources loader = new SlowResources(dir, Long.parseLong(args[2]) * 1_000_000L);
        long w0 = System.nanoTime(), c0 = BEAN.getCurrentThreadCpuTime();
        int sum = loadAll(loader, n);
        long wall = System.nanoTime() - w0, cpu = BEAN.getCurrentThreadCpuTime() - c0;
        System.out.println("sum " + sum);
        System.out.println("loadAll " + wall / 1e9 + " " + cpu / 1e9);
        System.out.println("resources " + loader.resourceWall / 1e9 + " " + loader.resourceCpu / 1e9);
        System.out.println("resourceCalls " + loader.resourceCalls);
    }
}
