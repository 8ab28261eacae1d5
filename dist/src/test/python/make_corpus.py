"""Writes the golden corpus: real cProfile and profile files, plus hand-built ones for cases neither profiler produces.

Usage: python3 make_corpus.py OUTDIR

Profiles are named by what they hold; GoldenIT reads them by those names (see golden/profiles.txt). Source files
for the profiled workloads are written under OUTDIR/src first, so every code filename in the profiles is a real
file. Modification times are set to fixed instants so the ctime header line is the same on every run.
"""

import cProfile
import marshal
import os
import profile
import random
import shutil
import sys
import types

OUT = os.path.abspath(sys.argv[1])

# --------------------------------------------------------------------------- sources

UTIL = '''\
def inner(n):
    return [i * i for i in range(n)]

def helper(n):
    total = 0
    for _ in range(3):
        total += sum(inner(n))
    return common(total)

def common(x):
    return len(str(x))
'''

SHAPES_A = '''\
class Shape:
    def __init__(self, w):
        self.w = w

    def area(self):
        return self.w * self.w

def build(n):
    return [Shape(i).area() for i in range(n)]
'''

SHAPES_B = '''\
# A different module with the same base name and function names on other lines.


class Shape:
    def __init__(self, w):
        self.w = w

    def area(self):
        return max(self.w, 1) * 2

def build(n):
    return sorted(Shape(i).area() for i in range(n))
'''

RECURSION = '''\
import sys

def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

def even(n):
    return True if n == 0 else odd(n - 1)

def odd(n):
    return False if n == 0 else even(n - 1)

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def deep():
    return fact(300) > 0 and even(120) and not odd(40) and fib(12)
'''

BUILTINS = '''\
import functools
import re

def churn(n):
    words = []
    d = {}
    for i in range(n):
        w = "w%d" % i
        words.append(w)
        d[w] = d.get(w, 0) + len(w)
        isinstance(w, str)
    joined = ",".join(sorted(words, key=str.lower))
    parts = joined.split(",")
    m = max(len(p) for p in parts) + min(d.values())
    s = set(parts)
    s.add("x")
    functools.reduce(lambda a, b: a + b, range(10))
    re.compile("w[0-9]+").findall(joined)
    return m + sum(map(abs, range(-5, 5))) + len(s) + spin(300000)

def spin(n):
    # Enough work that times and per-call figures are not all 0.000.
    x = 0
    for i in range(n):
        x += i % 7
    return x
'''

UNICODE = '''\
def 計算(n):
    return sum(café(i) for i in range(n))

def café(x):
    return naïve(x) + 1

def naïve(x):
    return x * 2

def helper(n):
    return 計算(n)
'''

ASTRAL = '''\
def 𠀀(n):
    return [𠀋(i) for i in range(n)]

def 𠀋(x):
    return x + 1

def helper(n):
    return len(𠀀(n))
'''

MAIN = '''\
def main(n):
    import util_a, util_b, shapes_a, shapes_b, recursion, builtins_work, uni, astral, util_c
    util_a.helper(n)
    util_b.helper(n)
    util_c.helper(n)
    shapes_a.build(n)
    shapes_b.build(n)
    recursion.deep()
    builtins_work.churn(n * 4)
    uni.helper(n)
    astral.helper(n)
    return n
'''


def write(rel, text):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def load(name, path):
    """Imports a file with `path` as its code filename exactly (the import system would make it absolute)."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    mod = types.ModuleType(name)
    mod.__file__ = path
    sys.modules[name] = mod
    exec(compile(text, path, 'exec'), mod.__dict__)
    return mod


def sources():
    """Modules in several directories; code filenames relative to OUT, except one absolute, long path."""
    files = {
        'util_a': ('src/app/pkg_a/util.py', UTIL),
        'util_b': ('src/app/pkg_b/util.py', UTIL),  # identical: entries merge when directories are stripped
        'util_c': ('src/lib/deeper/nested/dirs/util.py', UTIL),
        'shapes_a': ('src/app/pkg_a/shapes.py', SHAPES_A),
        'shapes_b': ('src/app/pkg_b/shapes.py', SHAPES_B),
        'recursion': ('src/lib/recursion.py', RECURSION),
        'builtins_work': ('src/lib/builtins_work.py', BUILTINS),
        'uni': ('src/lib/ünïcödé_模块.py', UNICODE),
        'astral': ('src/lib/astral_𝒳_files/astral_𝒳.py', ASTRAL),
        'mainmod': ('src/app/main.py', MAIN),
    }
    mods = {}
    for name, (rel, text) in files.items():
        path = write(rel, text)
        shown = path if name == 'util_c' else rel  # one absolute path: long names widen the columns
        mods[name] = load(name, shown)
    return mods


# --------------------------------------------------------------------------- real profiles

def cprofile(path, fn, *args):
    p = cProfile.Profile()
    p.runcall(fn, *args)
    p.dump_stats(path)


def big_module():
    """Thousands of functions: each calls the next two, so the call graph is wide and long."""
    n = 3000
    lines = []
    for i in range(n):
        lines.append('def f%d(d):' % i)
        if i + 2 < n:
            lines.append('    return 1 if d <= 0 else f%d(d - 1) + f%d(0)' % (i + 1, i + 2))
        else:
            lines.append('    return 1')
    lines.append('def run():')
    lines.append('    return sum(f%d(%d) for i in range(1))' % (0, n - 3))
    # Every function is called at least once through the chain f0 -> f1 -> ... (depth n - 3).
    return write('src/big/generated_many_functions.py', '\n'.join(lines) + '\n')


def real_profiles(mods):
    main = mods['mainmod'].main
    cprofile('cprof.prof', main, 40)
    # The profile module: run through runctx with a code object, as `python -m profile` does, so one key's
    # name is a code object whose repr holds a per-process address.
    code = compile('main(8)\n', 'src/app/driver.py', 'exec')
    p = profile.Profile()
    p.runctx(code, {'main': main}, {})
    p.dump_stats('profile.prof')

    # Parts to add together: overlapping and disjoint functions.
    cprofile('part1.prof', mods['util_a'].helper, 10)
    cprofile('part2.prof', lambda: (mods['util_a'].helper(5), mods['recursion'].deep(), mods['uni'].helper(3)))
    cprofile('part3.prof', lambda: (mods['shapes_b'].build(7), mods['astral'].helper(4), mods['util_b'].helper(2)))

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    big = load('bigmod', os.path.relpath(big_module(), OUT))
    cprofile('big.prof', big.run)
    sys.setrecursionlimit(old)


# --------------------------------------------------------------------------- hand-built profiles

def hand():
    """cProfile-shaped entries that no real run gives: zero calls, signed zeros, ties in every field."""
    prof = ('jprofile', 0, 'profiler')
    a = ('a/x.py', 10, 'alpha')
    b = ('a/x.py', 20, 'beta')
    c = ('b/x.py', 10, 'alpha')
    d = ('b/y.py', 10, 'alpha')
    s = {}
    s[a] = (3, 3, 0.5, 1.0, {prof: (3, 3, 0.5, 1.0)})                 # top-level function
    s[b] = (3, 3, 0.5, 1.0, {a: (3, 3, 0.5, 1.0)})                    # ties a on every number
    s[c] = (3, 3, 0.5, 1.0, {a: (2, 1, 0.25, 0.5), b: (1, 1, 0.0625, 0.1875)})  # ties a on line and name
    s[d] = (3, 3, 0.5, 1.0, {c: (3, 3, 0.5, 1.0)})                    # ties c on line, name
    s[('~', 0, '<built-in method zero>')] = (0, 0, 0.0, 0.0, {})    # never called
    s[('z.py', 0, 'nc_zero')] = (2, 0, 0.1, 0.2, {})                 # nc == 0: no tottime per call
    s[('z.py', 1, 'cc_zero')] = (0, 5, 0.3, 0.4, {b: (5, 0, 0.3, 0.4)})  # cc == 0: no cumtime per call
    s[('z.py', 2, 'negzero')] = (1, 1, -0.0, -0.0, {})
    s[('z.py', 3, 'tinyneg')] = (1, 1, -1e-9, -0.0004, {})            # prints -0.000
    s[('z.py', 4, 'halfway')] = (4, 4, 0.0625, 0.0005, {})            # binary ties and near-ties
    s[('z.py', 5, 'halfway2')] = (8, 8, 2.0005, 1.0625, {})
    s[('z.py', 6, 'huge')] = (10 ** 12, 10 ** 12, 1.5e16, 2.5e20, {}) # wider than the columns
    s[('z.py', 7, 'inttimes')] = (1, 1, 2, 3, {})                     # ints where floats are usual
    s[('z.py', 8, 'bigcount')] = (2 ** 62, 2 ** 62 + 1, 7.0, 9.0, {})
    s[('~', 5, '<odd builtin>')] = (1, 1, 0.001, 0.001, {})          # '~' with a line: printed as a file
    s[('~', 0, 'plain')] = (1, 1, 0.001, 0.001, {})                  # built-in without <>: name as is
    s[('~', 0, '<>')] = (1, 1, 0.001, 0.001, {})                     # prints {}
    s[('~', 0, '<plain>')] = (1, 1, 0.001, 0.001, {})                # std name {plain} ...
    s[('~', 0, '{plain}')] = (1, 1, 0.001, 0.001, {})                # ... equals this one's
    s[('f.py', 1, 'g')] = (1, 1, 0.001, 0.001, {})                   # std name f.py:1(g) ...
    s[('~', 0, 'f.py:1(g)')] = (1, 1, 0.001, 0.001, {})              # ... equals this one's
    s[('ünï/𝒳.py', 7, '𠀀')] = (2, 2, 0.002, 0.003, {a: (2, 2, 0.002, 0.003)})
    s[('ünï/x.py', 7, 'ü')] = (2, 2, 0.002, 0.003, {})
    s[('n.py', -1, 'neg')] = (1, 1, 0.01, 0.01, {})
    s[('', 3, 'nofile')] = (1, 1, 0.01, 0.01, {})
    s[('sp ace/t\tab.py', 9, 'we ird')] = (1, 1, 0.01, 0.01, {})
    return s


def hand_counts():
    """The profile module's shape (callers are plain counts), without code objects so every sort works."""
    prof = ('profile', 0, 'profiler')
    main = ('m/main.py', 1, 'main')
    work = ('m/work.py', 5, 'work')
    s = {}
    s[prof] = (0, 0, 0, 0, {})
    s[main] = (1, 1, 0.125, 0.5, {prof: 1})
    s[work] = (3, 4, 0.25, 0.375, {main: 3, work: 1})
    s[('', 0, 'len')] = (2, 2, 0.0005, 0.0005, {work: 2})
    s[('n/work.py', 5, 'work')] = (1, 1, 0.0625, 0.0625, {main: 1})
    s[('m/zero.py', 2, 'zero')] = (0, 0, 0.0, 0.0, {})
    return s


def collide():
    """Strip collisions: identical (basename, line, name) in three directories, and callers that collide."""
    ra, rb = ('/x/a/main.py', 1, 'run'), ('/y/b/main.py', 1, 'run')
    ha, hb, hc = ('/x/a/util.py', 3, 'helper'), ('/y/b/util.py', 3, 'helper'), ('c/util.py', 3, 'helper')
    s = {}
    s[ra] = (1, 1, 0.25, 1.5, {})
    s[ha] = (2, 3, 0.5, 0.75, {ra: (1, 1, 0.125, 0.25), rb: (2, 1, 0.375, 0.5), ha: (1, 0, 0.0, 0.0)})
    s[('/x/a/util.py', 4, 'helper')] = (1, 1, 0.001, 0.002, {ha: (1, 1, 0.001, 0.002)})  # not merged: line differs
    s[rb] = (1, 1, 0.5, 2.0, {})
    s[hb] = (4, 4, 1.0, 1.25, {rb: (4, 4, 1.0, 1.25), ('/q/main.py', 1, 'run'): (1, 1, 0.0, 0.0)})
    s[hc] = (1, 1, 0.0625, 0.0625, {hb: (1, 1, 0.0625, 0.0625)})
    s[('/q/main.py', 1, 'run')] = (1, 1, 0.0, 0.0, {})
    s[('~', 0, '<built-in method builtins.len>')] = (5, 5, 0.001, 0.001, {ha: (2, 2, 0.0005, 0.0005), hb: (3, 3, 0.0005, 0.0005)})
    return s


def collide_counts():
    ra, rb = ('/x/a/main.py', 1, 'run'), ('/y/b/main.py', 1, 'run')
    ha, hb = ('/x/a/util.py', 3, 'helper'), ('/y/b/util.py', 3, 'helper')
    s = {}
    s[ra] = (1, 1, 0.25, 1.5, {})
    s[ha] = (2, 3, 0.5, 0.75, {ra: 1, rb: 2})
    s[rb] = (1, 1, 0.5, 2.0, {})
    s[hb] = (4, 4, 1.0, 1.25, {rb: 4, ra: 1})
    return s


def nan_times():
    """NaN and infinite times: pstats compares them with < and >, so the order is inconsistent and only
    list.sort's own sequence of comparisons gives its result. Enough functions for timsort to merge runs."""
    rnd = random.Random(5)
    s = {}
    for i in range(300):
        t = rnd.choice([float('nan'), float('inf'), 0.1, 0.2, 0.2, 0.5, 1e-4])
        c = rnd.choice([float('nan'), 0.3, t * 2])
        s[('f%d.py' % (i % 7), i, 'fn%d' % (i % 11))] = (1, rnd.randint(1, 3), t, c, {})
    return s


def huge(part):
    """Counts and line numbers past 2**63, as Python's ints hold them: each of three parts has 4*10**18 calls of
    f, so that the added total (12*10**18) and f's own count overflow a long; one count is past 2**63 alone,
    ties among the big counts and lines test the sort, a primitive count differs, a big count sits on an edge
    and in a profile-module caller count."""
    n = 4 * 10 ** 18
    f = ('h/f.py', 10, 'f')
    g = ('h/g.py', 2 ** 70, 'g')                      # a line number past 2**63
    h = ('h/h.py', -2 ** 80 + part, 'h')                  # negative, and different in each part
    w = ('h/w.py', 2 ** 64, 'wide')
    s = {}
    s[f] = (n, n, 1.5, 2.5, {g: (n, n - 1, 0.5, 1.0), ('~', 0, '<built-in method x>'): (n, n, 0.25, 0.25)})
    s[g] = (3 * n, n, 0.5, 3.0, {})                   # n/cc with both past a long once added
    s[('~', 0, '<built-in method x>')] = (2 ** 62 + part, 2 ** 62 + part, 0.125, 0.125, {f: (2 ** 62, 2 ** 62, 0.125, 0.125)})
    s[h] = (2 ** 100, 2 ** 99, 1.0, 1.0, {f: (2 ** 100, 2 ** 99, 1.0, 1.0)})
    s[w] = (2 ** 63, 2 ** 63, 0.0, 0.0, {w: (2 ** 63, 2 ** 63 - 1, 0.0, 0.0)})  # one past Long.MAX_VALUE
    s[('h/w.py', 2 ** 64, 'wide2')] = (2 ** 63 + 1, 2 ** 63, 0.0, 0.0, {})        # ties wide on line
    s[('h/small.py', 1, 'small')] = (-(2 ** 63) - 1, 1, 0.25, 0.25, {})           # below Long.MIN_VALUE
    return s


def surrogate_names(unescapable=True):
    """Names holding lone surrogates (marshal writes them with surrogatepass): U+DC80..U+DCFF, which Python's
    surrogateescape writes as the bytes they stand for, and U+D800, which no handler but backslashreplace (and
    surrogatepass) writes."""
    f = ('s/m\udc81.py', 1, 'f\udc80')
    g = ('s/m.py', 2, 'g\udcff\udce9')
    h = ('s/m.py', 3, 'h\ud800x' if unescapable else 'h\udcc3x')
    return {
        f: (1, 1, 0.5, 0.5, {g: (1, 1, 0.5, 0.5)}),
        g: (2, 2, 0.25, 0.75, {h: (2, 2, 0.25, 0.75)}),
        h: (3, 3, 0.125, 1.0, {}),
        ('s/m.py', 4, 'plain'): (1, 1, 0.0, 0.0, {f: (1, 1, 0.0, 0.0)}),
    }


def cyclic_files():
    """Marshal data with references back into objects still being read (FLAG_REF, TYPE_REF), which marshal.load
    reads (it enters a dict or tuple before its items) and pstats's print_stats prints, but whose callers
    pstats cannot print: a caller's figures that are the function's own 5-tuple, a callers dict holding itself,
    the statistics dict as a function's callers."""
    import struct
    def i32(n): return struct.pack('<i', n)
    def z(x): b = x.encode(); return b'z' + bytes([len(b)]) + b
    def key(f, l, n): return b')\x03' + z(f) + b'i' + i32(l) + z(n)
    def g(v): return b'g' + struct.pack('<d', v)
    head = b'i' + i32(1) + b'i' + i32(1) + g(.5) + g(.5)
    files = {
        'cyclic_tuple.prof': b'\xfb' + key('a.py', 1, 'f') + b'\xa9\x05' + head + b'{' + key('b.py', 2, 'g')
                             + b'r' + i32(1) + b'00',
        'cyclic_callers.prof': b'{' + key('a.py', 1, 'f') + b')\x05' + head + b'\xfb' + key('b.py', 2, 'g')
                               + b'r' + i32(0) + b'00',
        'cyclic_stats.prof': b'\xfb' + key('a.py', 1, 'f') + b')\x05' + head + b'r' + i32(0) + b'0',
    }
    for name, data in files.items():
        marshal.loads(data)  # python3 reads each
        with open(name, 'wb') as f:
            f.write(data)


def dump(name, stats):
    with open(name, 'wb') as f:
        marshal.dump(stats, f)


def hand_profiles():
    dump('hand.prof', hand())
    dump('counts.prof', hand_counts())
    dump('collide.prof', collide())
    dump('collide_counts.prof', collide_counts())
    dump('nan.prof', nan_times())
    dump('surrogates.prof', surrogate_names())
    dump('surrogates_escapable.prof', surrogate_names(unescapable=False))
    cyclic_files()
    for part in (1, 2, 3):
        dump('huge%d.prof' % part, huge(part))
    shutil.copyfile('hand.prof', 'händ_𝒳.prof')  # a profile whose own name is not ASCII (the prompt shows it)
    # Files that are not profiles, for the error-message tests.
    dump('not_a_profile.prof', [1, 2, 3])
    dump('empty_dict.prof', {})
    with open('garbage.prof', 'wb') as f:
        f.write(b'\x00garbage')
    os.makedirs('a_directory.prof', exist_ok=True)


# --------------------------------------------------------------------------- times

MTIMES = {
    'cprof.prof': 1700000000,          # Tue Nov 14 2023: winter time
    'profile.prof': 1690000000,        # Jul 2023: summer time
    'part1.prof': 1000000000,
    'part2.prof': 1234567890,
    'part3.prof': 0,                   # the epoch
    'big.prof': 1600000000,
    'hand.prof': -2000000000,          # 1906
    'counts.prof': 1700000001,
    'collide.prof': 1704067200,        # a day with one digit
    'collide_counts.prof': 1709251200,
    'nan.prof': 1709251201,
    'händ_𝒳.prof': 1712000000,
    'huge1.prof': 1712000001,
    'huge2.prof': 1712000002,
    'huge3.prof': 1712000003,
}


def main():
    os.makedirs(OUT, exist_ok=True)
    os.chdir(OUT)
    mods = sources()
    real_profiles(mods)
    hand_profiles()
    for name, t in MTIMES.items():
        os.utime(name, (t, t))


main()
