"""The Python collector vmtel replaced, run as the alignment benchmark's peer.

guest_agent_collector.py beside this file is that collector, unchanged. Its run_loop reads the
socket in one thread that blocks in recv and does nothing else, stamps each row with
time.monotonic_ns() (origin 0 here, so stamps are absolute CLOCK_MONOTONIC, the clock the
load generator stamps with) and appends it to the output file, line-buffered. It returns when
the generator closes the socket.

usage: python3 run_reference.py SOCKET OUTPUT
"""
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import guest_agent_collector  # noqa: E402

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
rows = guest_agent_collector.run_loop(sys.argv[1], Path(sys.argv[2]), 0, stop, connect_timeout_s=10.0)
print(rows, flush=True)
