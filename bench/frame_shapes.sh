#!/usr/bin/env bash
# How deep a one-line recursion gets once compiled, in each shape an instrumented method's hooks could take
# (bench/frame_shapes/FrameShapes.java): the hooks inlined by C2, then kept out of line. docs/reliability.md,
# "Stack depth", has the figures and what they mean for the agent's own shape.
#
# usage: bench/frame_shapes.sh        (the java of JAVA_HOME, else the one on PATH)
set -euo pipefail
cd "$(dirname "$0")"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$javac" -d "$out" frame_shapes/FrameShapes.java
outOfLine=(-XX:CompileCommand=quiet)
for hook in enterKept exitKept token enterToken exitToken enterLong exitLong enterNone exitNone exitPass; do
  outOfLine+=("-XX:CompileCommand=dontinline,FrameShapes::$hook")
done
"$java" -version 2>&1 | head -1
plain=$("$java" -Xbatch -Xss1m -cp "$out" FrameShapes plain)
printf '%-8s %-14s %8s\n' shape hooks depth
printf '%-8s %-14s %8d\n' plain - "$plain"
for shape in kept token long none pass; do
  inlined=$("$java" -Xbatch -Xss1m -cp "$out" FrameShapes "$shape")
  apart=$("$java" -Xbatch -Xss1m "${outOfLine[@]}" -cp "$out" FrameShapes "$shape")
  printf '%-8s %-14s %8d  %3d %%\n' "$shape" inlined "$inlined" $((100 * inlined / plain))
  printf '%-8s %-14s %8d  %3d %%\n' "$shape" "out of line" "$apart" $((100 * apart / plain))
done
