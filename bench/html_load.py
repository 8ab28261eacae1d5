"""Times the loading of jpstats --html reports in headless Chromium, each report in turn, several rounds.

usage: html_load.py [--rounds N] REPORT.html...

For each report a copy is made with one script added at the end of its body, which, once the report says it is
ready (its body's data-ready attribute, set when its script is done, at once or after the data is inflated),
keeps the figures the report measured itself (window.jcprofile.readyMs: milliseconds from the start of navigation
until the table and the flame graph are drawn and the inputs wired; .phases when the report has them) and the time
when the page's style and layout are then done (forced). Each load is a new headless Chromium, driven through
Debian's chromedriver (WebDriver over HTTP, as HtmlReportIT drives it), which reads those figures. Reports are run
in turn within each round, so a change of the machine's load reaches every report alike; the medians and the
ranges are printed with the load average at the start and the end.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PROBE = """<script>
(function () {
  function finish() {
    const j = window.jcprofile || {};
    // A forced style and layout pass: what the first paint needs besides the report's script.
    void document.body.offsetHeight;
    window.jcprofileBench = { ready: j.readyMs, layout: performance.now(), phases: j.phases || null };
  }
  if (document.body.dataset.ready === '1') finish();
  else new MutationObserver(function (_, o) {
    if (document.body.dataset.ready === '1') { o.disconnect(); finish(); }
  }).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
})();
</script>"""

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage", "--window-size=1400,1000"]


def probe_copy(path, tmp, k):
    with open(path, encoding="utf-8") as f:
        html = f.read()
    i = html.rindex("</body>")
    # Numbered: reports of the same name from different directories are compared.
    out = os.path.join(tmp, "%d-%s" % (k, os.path.basename(path)))
    with open(out, "w", encoding="utf-8") as f:
        f.write(html[:i] + PROBE + html[i:])
    return out


class Driver:
    """Debian's chromedriver, spoken to in WebDriver's JSON over HTTP."""

    def __init__(self):
        with socket.socket() as so:
            so.bind(("127.0.0.1", 0))
            self.port = so.getsockname()[1]
        self.proc = subprocess.Popen(["/usr/bin/chromedriver", "--port=%d" % self.port],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                self.call("GET", "/status")
                return
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("html_load.py: chromedriver did not start")
                time.sleep(0.1)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise SystemExit("html_load.py: chromedriver: %s" % e.read().decode(errors="replace")[:500])

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def run(driver, page, tmp):
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
        "binary": "/usr/bin/chromium", "args": ARGS + ["--user-data-dir=" + tempfile.mkdtemp(dir=tmp)]}}}}
    session = driver.call("POST", "/session", caps)["sessionId"]
    try:
        driver.call("POST", "/session/%s/timeouts" % session, {"script": 300000})
        driver.call("POST", "/session/%s/url" % session, {"url": "file://" + page})
        out = driver.call("POST", "/session/%s/execute/async" % session, {"args": [], "script": """
            const done = arguments[arguments.length - 1];
            (function poll() { if (window.jcprofileBench) done(window.jcprofileBench); else setTimeout(poll, 5); })();"""})
    finally:
        driver.call("DELETE", "/session/%s" % session)
    if not out or out.get("ready") is None:
        raise SystemExit("html_load.py: %s: the page reported no figures (its script failed?)" % page)
    return out


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
        pages = [probe_copy(p, tmp, k) for k, p in enumerate(args)]
        results = {p: [] for p in args}
        driver = Driver()
        try:
            for _ in range(rounds):
                for p, page in zip(args, pages):
                    results[p].append(run(driver, page, tmp))
        finally:
            driver.close()
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
                      ", ".join("%s %.0f" % (k, v) for k, v in sorted(ph.items(), key=lambda kv: kv[1])))


if __name__ == "__main__":
    main()
