"""Writes a synthetic pstats profile of N functions and E caller edges, shaped like a big real program's.

usage: make_big_profile.py OUT [FUNCTIONS [EDGES [SEED [SHAPE]]]]   (defaults: 100000 1000000 1 skewed)

Functions live in a few thousand modules under a few hundred directories; each has ~E/N callers drawn with a
skew toward "popular" callers (SHAPE skewed; uniform: every function equally likely, the hard case for caches), counts and times drawn from heavy-tailed distributions, and a share of
recursive functions (nc != cc). The dict is written with marshal.dump, as pstats writes it.
"""
import marshal
import random
import sys


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    e = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    shape = sys.argv[5] if len(sys.argv) > 5 else "skewed"
    if shape not in ("skewed", "uniform"):
        sys.exit("make_big_profile.py: SHAPE must be skewed or uniform, not %r" % shape)
    dirs = ["/srv/app/src/pkg%03d/sub%02d" % (i, i % 17) for i in range(300)]
    modules = ["%s/module_%04d.py" % (rng.choice(dirs), i) for i in range(max(1, n // 30))]
    keys = []
    for i in range(n):
        if i % 50 == 0:
            keys.append(("~", 0, "<built-in method builtin_%d>" % i))
        else:
            keys.append((rng.choice(modules), rng.randint(1, 4000), "function_%d" % i))
    stats = {}
    per = e // n
    extra = e - per * n
    for i, key in enumerate(keys):
        nc = int(rng.paretovariate(1.2))
        cc = nc if rng.random() > 0.05 else max(1, nc // 3)
        tt = rng.expovariate(1000.0)
        ct = tt + rng.expovariate(200.0)
        callers = {}
        k = per + (1 if i < extra else 0)
        while len(callers) < k:
            # skewed toward the first functions, or uniform over all
            c = keys[int(n * rng.random() ** 2)] if shape == "skewed" else keys[rng.randrange(n)]
            if c in callers:
                c = keys[rng.randrange(n)]
                if c in callers:
                    continue
            enc = max(1, int(rng.paretovariate(1.5)))
            ecc = enc if rng.random() > 0.05 else max(1, enc // 2)
            ett = rng.expovariate(5000.0)
            callers[c] = (enc, ecc, ett, ett + rng.expovariate(1000.0))
        stats[key] = (cc, nc, tt, ct, callers)
    with open(out, "wb") as f:
        marshal.dump(stats, f)


if __name__ == "__main__":
    main()
