"""Reference figures for ThreadStateTest: CPython's own _lsprof on the same call sequences, with a clock that only
the functions' bodies advance (T[0] += n is no call, so it is not profiled). Prints, per function and per
caller->callee edge, _lsprof's callcount, reccallcount, totaltime (inclusive) and inlinetime (own), in ticks.
Run: python3 lsprof_reference.py (3.11)."""
import cProfile

T = [0]


def profile(run):
    p = cProfile.Profile(lambda: T[0], 1.0, builtins=False)  # timeunit 1: integer ticks come back as they are
    T[0] = 0
    p.enable()
    run(p)
    p.disable()
    print(run.__name__)
    for e in sorted(p.getstats(), key=lambda e: e.code.co_name):
        name = e.code.co_name
        print(f"  {name}: calls={e.callcount} rec={e.reccallcount} tt={e.totaltime:g} it={e.inlinetime:g}")
        for s in sorted(e.calls or [], key=lambda s: s.code.co_name):
            print(f"    {name}->{s.code.co_name}: calls={s.callcount} rec={s.reccallcount} "
                  f"tt={s.totaltime:g} it={s.inlinetime:g}")


# 1, 2: main calls a, then b, which calls a too.
def a(n):
    T[0] += n


def b():
    T[0] += 4
    a(5)
    T[0] += 1


def main():
    T[0] += 2
    a(3)
    T[0] += 1
    b()
    T[0] += 2


def basic(p):
    main()


# 3: direct recursion, f -> f -> f, called twice from the top.
def f(depth, p=None):
    T[0] += 1
    if depth > 1:
        f(depth - 1, p)
    elif p:
        p.disable()  # for open_recursive
    T[0] += 2


def direct(p):
    f(3)
    T[0] += 10  # between two top-level calls: nobody's time
    f(1)


# 5: the same recursion stopped in its innermost call: the three open calls close at that moment.
def open_recursive(p):
    f(3, p)


# 3: mutual recursion, m -> g -> m -> g.
def m(depth):
    T[0] += 1
    if depth > 0:
        g(depth)
    T[0] += 2


def g(depth):
    T[0] += 3
    m(depth - 1)
    T[0] += 4


def mutual(p):
    m(2)


# 5: calls still open when the profiler stops: disable() closes them at that moment (flush_unmatched).
def outer(p):
    T[0] += 2
    inner(p)


def inner(p):
    T[0] += 3
    leaf()
    T[0] += 4
    p.disable()


def leaf():
    T[0] += 5


def still_open(p):
    outer(p)


# 4: one iteration of the writer's loop, its clock ticking once per read (the writer's enter and exit hooks).
class Ticking:
    def __call__(self):
        T[0] += 1
        return T[0]


def w_outer():
    w_a()
    w_r(2)


def w_a():
    pass


def w_r(depth):
    if depth > 1:
        w_r(depth - 1)
    else:
        w_leaf()


def w_leaf():
    pass


def iteration(p):
    w_outer()


for run in (basic, direct, mutual, still_open, open_recursive):
    profile(run)

T[0] = 0
p = cProfile.Profile(Ticking(), 1.0, builtins=False)
p.enable()
w_outer()
p.disable()
print("iteration (clock ticks once per read)")
for e in sorted(p.getstats(), key=lambda e: e.code.co_name):
    if not e.code.co_name.startswith("w_"):
        continue
    print(f"  {e.code.co_name}: calls={e.callcount} rec={e.reccallcount} tt={e.totaltime:g} it={e.inlinetime:g}")
    for s in sorted(e.calls or [], key=lambda s: s.code.co_name):
        print(f"    {e.code.co_name}->{s.code.co_name}: calls={s.callcount} rec={s.reccallcount} "
              f"tt={s.totaltime:g} it={s.inlinetime:g}")
