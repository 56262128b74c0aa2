"""Keys over a real SSH link that batches them: do they land where the user meant?

Needs an sshd on 127.0.0.1 that lets this user in with a key (the README of
``docs/performance.md`` § "Keys over SSH" says how to run one), and the app installed
at the same path on the "remote" side (it is this machine). Each scenario is tried
``--tries`` times through ``batching_relay.py``; a try passes when the screen shows the
detail of the record the query finds first. Run by a person; prints a table.

    python benchmarks/ssh_keys.py --port 2222 --key /tmp/sshlab/userkey --tries 10
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from pty_harness import PtyApp, installed_app  # noqa: E402

from bishan_tui.loader import load_dataset  # noqa: E402
from bishan_tui.search import build_index  # noqa: E402


def typed(app: PtyApp, keys: str, gap: float = 0.03) -> None:
    """Keys as a fast typist sends them: one write each, ``gap`` apart."""
    for key in keys:
        app.write(key)
        time.sleep(gap)


SCENARIOS: dict[str, tuple[str, Callable[[PtyApp], None], bool]] = {
    # name: (query, what the user does, wait for the first frame first)
    "/kangjia Enter": ("kangjia", lambda app: (typed(app, "\x1b"), typed(app, "/kangjia\r")), True),
    "kangjia Enter at launch": ("kangjia", lambda app: typed(app, "kangjia\r"), False),
    "paste 康佳 Enter": ("康佳", lambda app: app.write("\x1b[200~康佳\x1b[201~\r"), True),
    "qingchuang Enter (a q word)": ("qingchuang", lambda app: typed(app, "qingchuang\r"), True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2222)
    parser.add_argument("--key", required=True)
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--window", type=float, default=0.15, help="relay batch, seconds")
    args = parser.parse_args()
    index = build_index(load_dataset(), persist=False)
    relay = f"{sys.executable} {ROOT / 'benchmarks' / 'batching_relay.py'} %h %p {args.window}"
    print(f"link: ssh through a relay delivering the client's bytes in {args.window}s batches")
    print(f"{'scenario':32} {'passed':>8}")
    for name, (query, act, wait_first) in SCENARIOS.items():
        expected = index.search(query, limit=1)[0].record.id
        passed = 0
        for _ in range(args.tries):
            with tempfile.TemporaryDirectory() as home:
                remote = (
                    f"env XDG_CACHE_HOME={home}/c XDG_CONFIG_HOME={home}/f "
                    f"XDG_STATE_HOME={home}/s {shlex.quote(str(installed_app()))}"
                )
                argv = [
                    "ssh", "-t", "-F", "/dev/null", "-i", args.key, "-p", str(args.port),
                    "-o", f"ProxyCommand={relay}", "-o", "StrictHostKeyChecking=no",
                    "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                    f"root@{args.host}", remote,
                ]
                app = PtyApp(argv, size=(80, 24)).start()
                try:
                    if wait_first:
                        app.wait_for("璧山", timeout=30)
                    act(app)
                    try:
                        app.wait_for(
                            lambda s, e=expected, q=query: e in s and q in s, timeout=15
                        )
                        alive = app.process is not None and app.process.poll() is None
                        passed += alive
                    except AssertionError:
                        pass
                finally:
                    app.write("\x11")  # Ctrl+Q
                    app.wait_exit(5)
                    app.close()
        print(f"{name:32} {passed:>5}/{args.tries}")


if __name__ == "__main__":
    main()
