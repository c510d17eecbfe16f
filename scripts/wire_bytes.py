#!/usr/bin/env python3
"""Bytes the real binary writes to its terminal, per `j`, on the demo queue.

Starts `icp-review` (release build by default) in a pseudo-terminal of 160x48 on a fresh
data folder (so the demo orders are imported on this first start), waits for the queue,
then presses `j` N times, one at a time, waiting for the output to settle after each
(the list frame at once, the newly selected order's detail after the 120 ms debounce).
Prints, per press, the bytes of all frames together and of the list and detail frames
apart (frames are the synchronized updates `ESC[?2026h` ... `ESC[?2026l`), and how many
of the bytes are cursor moves; then the median, p95 and max. Also the time to the first
frame and to the first order's detail on this first start.

    scripts/wire_bytes.py [BINARY] [PRESSES] [THEME]
    (defaults: target/release/icp-review, 40, dark)

WIRE_BYTES_EACH=1 prints every press's bytes; WIRE_BYTES_DUMP=DIR writes every frame
to DIR (pressNN-frameK.bin) to look at.

Build first: cargo build --release
"""

import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import fcntl
import termios

COLS, ROWS = 160, 48
SYNC_ON, SYNC_OFF = b"\x1b[?2026h", b"\x1b[?2026l"
MOVE = re.compile(rb"\x1b\[\d+;\d+H|\x1b\[\d+G")


def read_until_quiet(fd, quiet, limit):
    """Everything the program writes until it stays silent for `quiet` seconds."""
    out = bytearray()
    start = time.monotonic()
    last = start
    while True:
        now = time.monotonic()
        if now - last >= quiet or now - start >= limit:
            return bytes(out)
        r, _, _ = select.select([fd], [], [], min(quiet, 0.05))
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return bytes(out)
            if not chunk:
                return bytes(out)
            out += chunk
            last = time.monotonic()


def frames(data):
    """The synchronized frames in `data`, brackets included."""
    out = []
    i = 0
    while True:
        a = data.find(SYNC_ON, i)
        if a < 0:
            return out
        b = data.find(SYNC_OFF, a)
        if b < 0:
            return out
        out.append(data[a : b + len(SYNC_OFF)])
        i = b + len(SYNC_OFF)


def summary(name, values):
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(
        f"  {name:<34} median {statistics.median(values):>7.0f} B   p95 {p95:>7.0f} B   max {values[-1]:>7.0f} B"
    )


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/icp-review"
    presses = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    theme = sys.argv[3] if len(sys.argv) > 3 else "dark"
    if not os.path.exists(binary):
        sys.exit(f"{binary} not found: cargo build --release")
    tmp = tempfile.mkdtemp(prefix="icp-wire-")
    data_dir = os.path.join(tmp, "data")
    os.makedirs(data_dir)
    config = os.path.join(tmp, "config.toml")
    with open(config, "w") as f:
        f.write(f'language = "zh-CN"\ntheme = "{theme}"\nreviewer = "wire"\nimages = "halfblocks"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICP_REVIEW_")}
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    started = time.monotonic()
    proc = subprocess.Popen(
        [os.path.abspath(binary), "--data-dir", data_dir, "--config", config],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        # First start: the first frame, then the queue and the first order's detail.
        first = bytearray()
        t_first = None
        deadline = started + 60
        while time.monotonic() < deadline:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                first += os.read(master, 65536)
                if t_first is None and SYNC_OFF in first:
                    t_first = time.monotonic() - started
            if t_first is not None and b"DEMO-" in first:
                break
        first += read_until_quiet(master, 1.0, 30)
        t_settled = time.monotonic() - started - 1.0
        print(f"{binary} at {COLS}x{ROWS}, theme {theme}, demo orders, first start")
        print(f"  first frame after {t_first * 1000:.0f} ms; queue and first detail drawn within {t_settled * 1000:.0f} ms")
        totals, lists, details, moves = [], [], [], []
        for _ in range(presses):
            os.write(master, b"j")
            out = read_until_quiet(master, 0.4, 5)
            fs = frames(out)
            if os.environ.get("WIRE_BYTES_DUMP"):
                dump = os.environ["WIRE_BYTES_DUMP"]
                os.makedirs(dump, exist_ok=True)
                for k, fr in enumerate(fs):
                    with open(os.path.join(dump, f"press{len(totals):02}-frame{k}.bin"), "wb") as fh:
                        fh.write(fr)
            totals.append(sum(len(f) for f in fs))
            lists.append(len(fs[0]) if fs else 0)
            details.append(sum(len(f) for f in fs[1:]))
            moves.append(sum(len(m) for f in fs for m in MOVE.findall(f)))
        print(f"  {presses} presses of j (each: the list frame, then the detail frame)")
        summary("all frames of one j", totals)
        summary("  the list frame", lists)
        summary("  the detail frame(s)", details)
        summary("  of which cursor moves", moves)
        if os.environ.get("WIRE_BYTES_EACH"):
            print("  each press, all frames:", " ".join(str(t) for t in totals))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except Exception:
            proc.kill()
        os.close(master)


if __name__ == "__main__":
    main()
