#!/usr/bin/env bash
# A start-up-heavy program: 3,000 generated classes loaded, instantiated and called once by Startup.loadAll,
# plain and under the agent, every class instrumented and only Startup instrumented (include=many.Startup).
# The class-loading rows and loadAll's cumulative time are printed beside the time the program measured.
# BASE=DIR runs another checkout's jar too. See docs/performance.md.
#
# usage: bench/classload.sh [TIMER...]   (after `mvn -q package -DskipTests`; JAVA_HOME picks the JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 - "$out" <<'PY'
import os, sys
src = os.path.join(sys.argv[1], "src", "many"); os.makedirs(src)
N = 3000
for i in range(N):
    nxt = (i * 7 + 3) % N
    open(os.path.join(src, "C%d.java" % i), "w").write("""package many;
public class C%(i)d {
    private final java.util.List<String> names = new java.util.ArrayList<>();
    public int a(int x) { return b(x) + names.size(); }
    int b(int x) { return x * %(m)d + c(String.valueOf(x)); }
    static int c(String s) { return s.hashCode() & 7; }
    public String d() { StringBuilder sb = new StringBuilder(); for (String n : names) sb.append(n); return sb.toString(); }
    public Object e(Object o) { return o instanceof C%(n)d ? ((C%(n)d) o).d() : o.toString(); }
    @Override public String toString() { return "C%(i)d" + names; }
}
""" % {"i": i, "m": i % 97 + 1, "n": nxt})
open(os.path.join(src, "Startup.java"), "w").write("""package many;
public class Startup {
    static int loadAll() throws Exception {
        int sum = 0;
        for (int i = 0; i < %d; i++) {
            Class<?> c = Class.forName("many.C" + i);
            sum += ((Number) c.getMethod("a", int.class).invoke(c.getConstructor().newInstance(), i)).intValue();
        }
        return sum;
    }
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        int s = loadAll();
        System.out.println("loadAll " + (System.nanoTime() - t0) / 1e9 + " s (" + s + ")");
    }
}
""" % N)
PY
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -d "$out/classes" "$out"/src/many/*.java
echo "JDK $("$java" -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
# The JVM's own class-loading clocks (hsperfdata saved at exit, read by jstat), in seconds: define (which holds the
# agent's transformer), verify and link are where instrumented classes cost the JVM more after the transformer.
jvm_clocks() {
  jstat -J-Djstat.showUnsupported=true -snap "file://$out/hsperf" 2>/dev/null | python3 -c '
import sys
c = dict(l.strip().split("=", 1) for l in sys.stdin if "=" in l)
names = ["defineAppClassTime.self", "classVerifyTime.self", "classLinkedTime.self", "classInitTime.self"]
print("    JVM: " + "  ".join("%s %.3f" % (n.split("Time")[0], int(c["sun.cls." + n]) / 1e9) for n in names))'
}
perf=(-XX:+PerfDataSaveToFile "-XX:PerfDataSaveFile=$out/hsperf")
echo "plain: $("$java" "${perf[@]}" -cp "$out/classes" many.Startup)"
jvm_clocks
for timer in "${@:-wall}"; do
  for jar in ${BASE:+$BASE/target/jcprofile.jar} target/jcprofile.jar; do
    for which in all few; do
      opt=""; [ "$which" = few ] && opt=",include=many.Startup"
      echo "$jar $timer $which: $("$java" "${perf[@]}" "-javaagent:$jar=o=$out/p.prof,quiet,timer=$timer$opt" -cp "$out/classes" many.Startup)"
      python3 - "$out/p.prof" <<'PY'
import pstats, sys
for (f, l, n), (cc, nc, tt, ct, callers) in pstats.Stats(sys.argv[1]).stats.items():
    if n in ("Startup.loadAll", "<built-in method java.lang.Class.forName>"):
        print("    %-45s %6d calls  tottime %7.3f  cumtime %7.3f" % (n, nc, tt, ct))
PY
      jvm_clocks
    done
  done
done
