package bench.workloads;

import dev.jcprofile.Profile;
import dev.jcprofile.Stats;
import dev.jcprofile.format.ProfileData;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The time to write a profile of 100,000 functions: generates CLASSES classes of METHODS static methods each
 * (ASM, in memory), runs them all under the Profile API, then times what the agent does at exit, on the same
 * code path: the snapshot of the recorded tables turned into the pstats dict ({@code Profile.createStats}, which
 * is what the agent does at exit, {@code TotalsToProfile}) and the pstats file written ({@code Stats.dumpStats}, the agent's
 * {@code ProfileFiles.write}). The first dump is what a program pays at exit (code not yet compiled); the
 * next ones show the steady state.
 *
 * usage: java -javaagent:target/jcprofile.jar=api -cp ... bench.workloads.DumpBench [CLASSES [METHODS [DUMPS]]]
 *        java -cp ... bench.workloads.DumpBench CLASSES METHODS plain    (no profile: the baseline of loading and
 *        running the generated classes, which under the agent includes instrumenting them)
 *
 * In class k, method m0 calls m1 ... m(METHODS-1) with depth 1, and each mj(d) calls m(j+1)(d-1) while d > 0: every
 * function has one or two callers. A generated Root.run calls every class's m0.
 */
public final class DumpBench {
    private DumpBench() {}

    static final String PKG = "bench/generated/";

    static byte[] generateClass(int k, int methods) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        String name = PKG + "C" + k;
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, name, null, "java/lang/Object", null);
        cw.visitSource("C" + k + ".java", null);
        MethodVisitor m0 = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "m0", "()I", null, null);
        m0.visitCode();
        m0.visitInsn(Opcodes.ICONST_0);
        for (int j = 1; j < methods; j++) {
            m0.visitInsn(Opcodes.ICONST_1);
            m0.visitMethodInsn(Opcodes.INVOKESTATIC, name, "m" + j, "(I)I", false);
            m0.visitInsn(Opcodes.IADD);
        }
        m0.visitInsn(Opcodes.IRETURN);
        m0.visitMaxs(0, 0);
        m0.visitEnd();
        for (int j = 1; j < methods; j++) {
            MethodVisitor m = cw.visitMethod(Opcodes.ACC_STATIC, "m" + j, "(I)I", null, null);
            m.visitCode();
            Label line = new Label();
            m.visitLabel(line);
            m.visitLineNumber(10 + j, line);
            if (j + 1 < methods) {
                Label leaf = new Label();
                m.visitVarInsn(Opcodes.ILOAD, 0);
                m.visitJumpInsn(Opcodes.IFLE, leaf);
                m.visitVarInsn(Opcodes.ILOAD, 0);
                m.visitInsn(Opcodes.ICONST_1);
                m.visitInsn(Opcodes.ISUB);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, name, "m" + (j + 1), "(I)I", false);
                m.visitInsn(Opcodes.IRETURN);
                m.visitLabel(leaf);
            }
            m.visitLdcInsn(j);
            m.visitInsn(Opcodes.IRETURN);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    static byte[] generateRoot(int classes) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, PKG + "Root", null, "java/lang/Object", null);
        MethodVisitor run = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()I", null, null);
        run.visitCode();
        run.visitInsn(Opcodes.ICONST_0);
        for (int k = 0; k < classes; k++) {
            run.visitMethodInsn(Opcodes.INVOKESTATIC, PKG + "C" + k, "m0", "()I", false);
            run.visitInsn(Opcodes.IADD);
        }
        run.visitInsn(Opcodes.IRETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Defines the generated classes on demand, from bytes made beforehand. */
    static final class Loader extends ClassLoader {
        final java.util.Map<String, byte[]> classes = new java.util.HashMap<>();

        Loader() { super(DumpBench.class.getClassLoader()); }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.remove(name.replace('.', '/'));
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }

    public static void main(String[] args) throws Exception {
        int classes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int methods = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean plain = args.length > 2 && args[2].equals("plain");
        int dumps = args.length > 2 && !plain ? Integer.parseInt(args[2]) : 5;
        Loader loader = new Loader();
        for (int k = 0; k < classes; k++) loader.classes.put(PKG + "C" + k, generateClass(k, methods));
        loader.classes.put(PKG + "Root", generateRoot(classes));
        java.lang.reflect.Method run = loader.loadClass("bench.generated.Root").getMethod("run");

        long t0 = System.nanoTime();
        int result;
        if (plain) {
            result = (Integer) run.invoke(null);
            System.out.printf("loaded and ran the %,d classes in %.2f s without the agent (checksum %d)%n", classes,
                    (System.nanoTime() - t0) / 1e9, result);
            return;
        }
        try (Profile p = new Profile()) {
            p.enable();
            result = (Integer) run.invoke(null);
            p.disable();
            long t1 = System.nanoTime();
            System.out.printf("loaded and ran the %,d classes in %.2f s under the agent, recording (instrumenting them included)%n",
                    classes, (t1 - t0) / 1e9);

            Path dir = Files.createTempDirectory("jcprofile-dump");
            List<double[]> times = new ArrayList<>();
            long size = 0;
            int functions = 0, edges = 0;
            for (int i = 0; i < dumps; i++) {
                Path file = dir.resolve("profile" + i + ".prof");
                long a = System.nanoTime();
                ProfileData data = p.createStats();
                long b = System.nanoTime();
                new Stats(data).dumpStats(file);
                long c = System.nanoTime();
                times.add(new double[] {(b - a) / 1e6, (c - b) / 1e6, (c - a) / 1e6});
                size = Files.size(file);
                functions = data.size();
                edges = 0;
                for (int e = 0; e < functions; e++) edges += data.callersEnd(e) - data.callersStart(e);
                Files.delete(file);
            }
            Files.delete(dir);
            System.out.printf("profile of %,d functions and %,d caller edges, %.1f MB (checksum %d)%n", functions, edges,
                    size / 1e6, result);
            double[] first = times.get(0);
            System.out.printf("first dump (as at exit): %.0f ms = %.0f ms to build the pstats dict + %.0f ms to write the file%n",
                    first[2], first[0], first[1]);
            if (dumps > 1) {
                double[] med = new double[3];
                for (int col = 0; col < 3; col++) {
                    double[] v = new double[dumps - 1];
                    for (int i = 1; i < dumps; i++) v[i - 1] = times.get(i)[col];
                    Arrays.sort(v);
                    med[col] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
                }
                System.out.printf("later dumps, median of %d: %.0f ms = %.0f + %.0f ms%n", dumps - 1, med[2], med[0], med[1]);
            }
            StringBuilder all = new StringBuilder("all dumps (ms):");
            for (double[] t : times) all.append(String.format(" %.0f", t[2]));
            System.out.println(all);
        }
    }
}
