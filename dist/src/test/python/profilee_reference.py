"""Profiles CPython's own Lib/test/profilee.py as test_cprofile does (a ticking timer, 0.001 s a tick) into argv[1]."""
import cProfile
import os
import sys
import test

sys.path.insert(0, os.path.dirname(test.__file__))
import profilee  # noqa: E402

prof = cProfile.Profile(profilee.timer, 0.001)
prof.runctx("testfunc()", profilee.__dict__, profilee.__dict__)
prof.dump_stats(sys.argv[1])
