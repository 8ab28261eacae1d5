#!/usr/bin/env python3
"""Reruns the commands of README.md's console blocks and writes their real output back into the README.

usage: tools/refresh-readme.py   (from the repository's root, after `mvn -q package -DskipTests` and the
example's build). The commands run in order in a scratch directory linked to bin/, examples/ and target/,
as ReadmeIT runs them; a failing command stops the refresh and leaves README.md as it was.
"""
import os
import subprocess
import sys
import tempfile


def main():
    root = os.getcwd()
    with open("README.md", encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("bin", "examples", "target"):
            os.symlink(os.path.join(root, name), os.path.join(scratch, name))
        i = 0
        while i < len(lines):
            out.append(lines[i])
            if lines[i] != "```console":
                i += 1
                continue
            i += 1
            while i < len(lines) and lines[i] != "```":
                if not lines[i].startswith("$ "):
                    sys.exit("README.md:%d: a console block line that is not a command: %r" % (i + 1, lines[i]))
                command = lines[i][2:]
                out.append(lines[i])
                run = subprocess.run(["bash", "-c", command], cwd=scratch, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
                if run.returncode != 0:
                    sys.exit("README.md:%d: `%s` failed (exit %d):\n%s" % (i + 1, command, run.returncode, run.stdout))
                text = run.stdout[:-1] if run.stdout.endswith("\n") else run.stdout
                if text:
                    out.extend(text.split("\n"))
                i += 1
                while i < len(lines) and not lines[i].startswith("$ ") and lines[i] != "```":
                    i += 1
    with open("README.md", "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
