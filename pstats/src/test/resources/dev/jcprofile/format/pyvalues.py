"""CPython's side of the format tests: it writes marshal data and says what marshal.load makes of it.

Every value is described by canon(), a one-line text that the Java tests rebuild from what MarshalReader reads
(see Canon.java), so the expected result always comes from the running python3, never from a hand-written copy.

Modes:
  values OUTDIR              write generic values at marshal versions 0-4; print "name<TAB>version<TAB>canon"
  profiles OUTDIR            profile workloads with cProfile and profile; write their stats at versions 0-4;
                             print "file<TAB>canon" for each
  loads FILE...              print the canon of marshal.loads(FILE), or "error: TYPE", one line per file
  profile FILE...            print the profile canon of each file (a stats dict), or "error: TYPE"
  coderepr NAME FILE LINE    print repr() of a code object with that name, file and first line
  eval KIND LITERAL          print canon (KIND value) or pcanon (KIND profile) of a Python literal
"""
import cProfile
import marshal
import os
import profile
import pstats
import re
import struct
import sys

ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def norm(text):
    """A code object's repr with its address, the only part that changes from one process to another, blanked."""
    return ADDRESS.sub(" at 0xADDR", text)


SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._/<>~-=@#")


def cstr(s):
    """A str by its code points: readable where safe, escaped elsewhere (lone surrogates included)."""
    return "'" + "".join(c if c in SAFE else "\\u{%x}" % ord(c) for c in s) + "'"


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def canon(o):
    if o is None:
        return "None"
    if o is True or o is False:
        return str(o)
    if o is StopIteration:
        return "StopIteration"
    if o is Ellipsis:
        return "Ellipsis"
    if isinstance(o, int):
        return "int:%d" % o
    if isinstance(o, float):
        return "float:" + fbits(o)
    if isinstance(o, complex):
        return "complex:%s,%s" % (fbits(o.real), fbits(o.imag))
    if isinstance(o, str):
        return cstr(o)
    if isinstance(o, bytes):
        return "bytes:" + o.hex()
    if isinstance(o, tuple):
        return "(" + ",".join(canon(x) for x in o) + ")"
    if isinstance(o, list):
        return "[" + ",".join(canon(x) for x in o) + "]"
    if isinstance(o, dict):
        return "{" + ",".join(canon(k) + ":" + canon(v) for k, v in o.items()) + "}"
    if isinstance(o, (set, frozenset)):
        return "set{" + ",".join(sorted(canon(x) for x in o)) + "}"
    if isinstance(o, type(canon.__code__)):
        return "code:%s|%s|%d|%s" % (cstr(o.co_name), cstr(o.co_filename), o.co_firstlineno, cstr(norm(repr(o))))
    raise TypeError("no canon for %r" % type(o))


def pkey(k):
    file, line, name = k
    n = cstr(name) if isinstance(name, str) else "code:" + cstr(norm(repr(name)))
    return "K(%s,%d,%s)" % (cstr(file), line, n)


def pcanon(stats):
    """A stats dict as Canon.profile(ProfileData) renders one: entries and callers in dict order."""
    out = []
    for k, (cc, nc, tt, ct, callers) in stats.items():
        cs = []
        for ck, cv in callers.items():
            if isinstance(cv, tuple):
                cs.append("%s:(%d,%d,%s,%s)" % (pkey(ck), cv[0], cv[1], fbits(float(cv[2])), fbits(float(cv[3]))))
            else:
                cs.append("%s:%d" % (pkey(ck), cv))
        out.append("%s=%d,%d,%s,%s{%s}" % (pkey(k), cc, nc, fbits(float(tt)), fbits(float(ct)), ",".join(cs)))
    return ";".join(out)


def generic_values():
    shared = "shared " * 5
    pair = (1, 2)
    big = 2 ** 100
    half = 1.5
    inner = {"k": [1]}
    code = compile("def outer(x):\n    def inner():\n        return x\n    return inner\n", "mod.py", "exec")
    func_code = code.co_consts[0]
    return [
        ("none", None), ("true", True), ("false", False), ("stopiter", StopIteration), ("ellipsis", Ellipsis),
        ("int_small", [0, 1, -1, 255, 1000, -1000]),
        ("int_edges", [2 ** 31 - 1, -2 ** 31]),
        ("long_small", [2 ** 31, -2 ** 31 - 1, 2 ** 45]),
        ("long_multi", [2 ** 62, 2 ** 63 - 1, 2 ** 63, -2 ** 63, -2 ** 63 - 1, 2 ** 64]),
        ("long_huge", [2 ** 100 + 12345, -2 ** 100, 10 ** 50, -(10 ** 200), 2 ** 15, 2 ** 30, 2 ** 60 - 1]),
        ("float", [0.0, -0.0, 1.5, 0.1, 1e-300, 5e-324, 1.7976931348623157e308, 1e22, 1e16, 123456789.123]),
        ("float_special", [float("inf"), float("-inf"), float("nan")]),
        ("complex", [1 + 2j, complex(float("inf"), float("nan")), complex(-0.0, -0.0), 1e-300j]),
        ("str_ascii", ["", "abc", "x" * 255, "x" * 256, "y" * 70000, "\x00\x7f"]),
        ("str_interned", [sys.intern("an interned name"), sys.intern("i" * 300)]),
        ("str_unicode", ["é", "naïve", "ÿ", "日本語", "😀", "a😀b"]),
        ("str_interned_unicode", [sys.intern("é_interned")]),
        ("str_surrogates", ["\udc80", "\ud800x", "a\udfffb", "\ud83d"]),
        ("bytes", [b"", b"\x00\xff", bytes(range(256)), b"x" * 70000]),
        ("tuple", [(), (1,), ((1,), (2, (3,))), tuple(range(300))]),
        ("list", [[], [1, "a", None], [[[]]], list(range(300))]),
        ("dict", [{}, {"a": 1, 2: "b", (1, 2): [3], None: {}}, {"outer": {"inner": {"x": 1.5}}}]),
        ("set", [set(), {1, 2, 3}, frozenset(), frozenset({"a", (1, 2)}), {frozenset({1})}]),
        ("refs_str", [shared, shared, shared]),
        ("refs_tuple", (pair, pair, [pair])),
        ("refs_long", [big, big, -big]),
        ("refs_float", [half, half]),
        ("refs_dict", [inner, inner]),
        ("code_module", code),
        ("code_func", func_code),
        ("code_shared", [func_code, func_code]),
        ("code_unicode", compile("def función():\n    pass\n", "módulo.py", "exec").co_consts[0]),
        # co_firstlineno 0 (exec'd strings, some generated code): repr() says "line -1".
        ("code_line0", compile("pass", "<string>", "exec").replace(co_firstlineno=0)),
    ]


# ---------------------------------------------------------------- workloads for real profiles

WORKLOAD = '''
import json, re, textwrap

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

class Shape:
    def __init__(self, n):
        self.n = n
    def area(self):
        return sum(i * i for i in range(self.n))

def naïve_función(items):
    return sorted(items, key=lambda x: -x)

def gen(n):
    for i in range(n):
        yield i

def fails():
    try:
        raise ValueError("x")
    except ValueError:
        return 1

def run():
    fib(14)
    [Shape(i).area() for i in range(30)]
    naïve_función(list(gen(50)))
    for _ in range(3):
        fails()
    json.loads(json.dumps({"a": [1, 2, {"b": None}]}))
    re.sub(r"(a+)b", r"\\1", "aaab" * 10)
    textwrap.fill("word " * 50, width=30)

run()
'''


SMALL_WORKLOAD = '''
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def main():
    sorted([3, 1, 2])
    fib(8)

main()
'''


def profile_workload(kind, filename, workload=WORKLOAD):
    code = compile(workload, filename, "exec")
    namespace = {"__name__": "__workload__"}
    if kind == "cProfile":
        p = cProfile.Profile()
        p.runctx(code, namespace, namespace)
    else:
        p = profile.Profile()
        p.runctx(code, namespace, namespace)
    p.create_stats()
    return p.stats


def profiles(outdir):
    made = {
        "cprofile": profile_workload("cProfile", "/home/user/project/workload.py"),
        "profile": profile_workload("profile", "/home/user/project/workload.py"),
        "cprofile_unicode": profile_workload("cProfile", "/tmp/прое́кт/工作.py"),
        "small_cprofile": profile_workload("cProfile", "small.py", SMALL_WORKLOAD),
        "small_profile": profile_workload("profile", "small.py", SMALL_WORKLOAD),
    }
    # Stats added together, as pstats writes them after Stats(a).add(b).
    a = os.path.join(outdir, "_a.prof")
    b = os.path.join(outdir, "_b.prof")
    with open(a, "wb") as f:
        marshal.dump(made["cprofile"], f)
    with open(b, "wb") as f:
        marshal.dump(made["cprofile_unicode"], f)
    s = pstats.Stats(a)
    s.add(b)
    made["cprofile_added"] = s.stats
    os.remove(a)
    os.remove(b)
    for name, stats in made.items():
        for version in range(5):
            path = os.path.join(outdir, "%s.v%d.prof" % (name, version))
            with open(path, "wb") as f:
                marshal.dump(stats, f, version)
            print("%s\t%s" % (os.path.basename(path), pcanon(stats)))


def main():
    mode = sys.argv[1]
    if mode == "values":
        outdir = sys.argv[2]
        for name, value in generic_values():
            for version in range(5):
                with open(os.path.join(outdir, "%s.v%d.bin" % (name, version)), "wb") as f:
                    f.write(marshal.dumps(value, version))
                print("%s\t%d\t%s" % (name, version, canon(value)))
    elif mode == "profiles":
        profiles(sys.argv[2])
    elif mode in ("loads", "profile"):
        for path in sys.argv[2:]:
            with open(path, "rb") as f:
                data = f.read()
            try:
                value = marshal.loads(data)
                print(canon(value) if mode == "loads" else pcanon(value))
            except Exception as e:
                print("error: %s" % type(e).__name__)
    elif mode == "eval":
        value = eval(sys.argv[3], {"inf": float("inf"), "nan": float("nan")})
        print(canon(value) if sys.argv[2] == "value" else pcanon(value))
    elif mode == "coderepr":
        code = compile("pass", "x", "exec").replace(co_name=sys.argv[2], co_filename=sys.argv[3],
                                                    co_firstlineno=int(sys.argv[4]))
        print(norm(repr(code)))
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
