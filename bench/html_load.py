"""Times the loading of jpstats --html reports in headless Chromium, each report in turn, several rounds.

usage: html_load.py [--rounds N] REPORT.html...

For each report a copy is made with one script added at the end of its body, which, once the report's own script
has run, replaces the page by the figures the report measured itself (window.jcprofile.readyMs: milliseconds from
the start of navigation until the table and the flame graph are drawn and the inputs wired; .phases when the
report has them) and the time when the page's style and layout are then done (forced); Chromium's --dump-dom
prints them. Reports are run in turn within each round, so a change of the machine's load reaches
every report alike; the medians and the ranges are printed with the load average at the start and the end.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

PROBE = """<script>
(function () {
  const j = window.jcprofile || {};
  // A forced style and layout pass: what the first paint needs besides the report's script.
  void document.body.offsetHeight;
  const out = { ready: j.readyMs, layout: performance.now(), phases: j.phases || null };
  document.body.innerHTML = '<pre id' + '="bench">' + JSON.stringify(out) + '</pre>';
})();
</script>"""


def probe_copy(path, tmp):
    with open(path, encoding="utf-8") as f:
        html = f.read()
    i = html.rindex("</body>")
    out = os.path.join(tmp, os.path.basename(path))
    with open(out, "w", encoding="utf-8") as f:
        f.write(html[:i] + PROBE + html[i:])
    return out


def run(page, tmp):
    cmd = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000",
           "--user-data-dir=" + os.path.join(tmp, "profile"), "--dump-dom",
           "file://" + page]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout
    m = re.search(r'<pre id="bench">(.*?)</pre>', dom)
    if not m:
        raise SystemExit("html_load.py: %s: the page reported no figures (its script failed?)" % page)
    return json.loads(m.group(1).replace("&quot;", '"'))


def main():
    args = sys.argv[1:]
    rounds = 5
    if args[:1] == ["--rounds"]:
        rounds = int(args[1])
        args = args[2:]
    if not args:
        raise SystemExit(__doc__)
    print("load average at start: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    with tempfile.TemporaryDirectory() as tmp:
        pages = [probe_copy(p, tmp) for p in args]
        results = {p: [] for p in args}
        for _ in range(rounds):
            for p, page in zip(args, pages):
                results[p].append(run(page, tmp))
        print("load average at end:   %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
        for p in args:
            ready = [r["ready"] for r in results[p]]
            layout = [r["layout"] for r in results[p]]
            print("%s (%.1f MB): ready %.0f ms median (%.0f-%.0f), laid out %.0f ms median (%.0f-%.0f)"
                  % (p, os.path.getsize(p) / 1e6, statistics.median(ready), min(ready), max(ready),
                     statistics.median(layout), min(layout), max(layout)))
            ph = results[p][len(results[p]) // 2]["phases"]
            if ph:
                print("    phases of one run (ms since navigation start): " +
                      ", ".join("%s %.0f" % (k, v) for k, v in ph.items()))


if __name__ == "__main__":
    main()
