package com.example.garble;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Arrays;

/**
 * Another agent that spoils the first retransformations of one class by handing the JVM a truncated class file: the
 * JVM then refuses to retransform that class, whatever the agents after it return. Its argument is CLASS:COUNT, the
 * class in internal form and how many retransformations of it to spoil; later ones are left alone.
 */
public final class GarblingAgent {
    private GarblingAgent() {}

    public static void premain(String arg, Instrumentation inst) {
        String className = arg.substring(0, arg.indexOf(':'));
        int count = Integer.parseInt(arg.substring(arg.indexOf(':') + 1));
        inst.addTransformer(new ClassFileTransformer() {
            private int spoiled;

            @Override
            public synchronized byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                                 ProtectionDomain domain, byte[] bytes) {
                if (redefined == null || spoiled == count || !name.equals(className)) return null;
                spoiled++;
                return Arrays.copyOf(bytes, 10);
            }
        }, true);
    }
}
