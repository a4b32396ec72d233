"""Helpers for the Ray engine tests (imported by tests/test_ray_engine.py; holds no tests).

Everything Ray starts here is loopback-only and private to the test:

* :func:`ray_env` — the environment for a Ray driver or ``ray start``: a
  temporary ``HOME`` (Ray 2.60 writes its auth token to ``~/.ray/auth_token``),
  a short ``RAY_TMPDIR`` (Unix socket paths are limited to ~107 bytes and every
  start leaves a session folder there), ``RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0``
  (without it, Ray 2.60 registers the node under the machine's non-loopback
  address and listens on every interface), ``RAY_USAGE_STATS_ENABLED=0``, and
  a unique marker variable that every process of the run inherits, so that
  its listeners can be told from anyone else's.
* :class:`ListenerWatch` — samples ``ss -ltnp`` while a run goes on and
  collects the listening sockets of the marked processes; :func:`loopback`
  says whether an address is on the loopback interface.
* :func:`ray_head` — ``ray start --head --node-ip-address=127.0.0.1 --block``
  in its own process group, stopped by that group's id (never ``ray stop``,
  which would stop every Ray process of the user on this machine).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

MARKER = "DEWIRE_RAY_TEST_RUN"
"""Environment variable carrying a per-run id into every process of a Ray run."""


def short_temp_dir() -> Path:
    """A new, short folder under /tmp (``/tmp/rXXXXXXXX``) for Ray's sockets and session files."""
    return Path(tempfile.mkdtemp(prefix="r", dir="/tmp"))


def ray_env(home: Path, ray_tmp: Path, **extra: str) -> dict[str, str]:
    """The environment for a loopback-only Ray driver or head (see the module docstring)."""
    # Nothing Ray-related leaks in from this process (ray.init sets RAY_AUTH_MODE=token in os.environ, for one).
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAY_") and key != MARKER}
    env.update(
        HOME=str(home),
        RAY_TMPDIR=str(ray_tmp),
        RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0",
        RAY_USAGE_STATS_ENABLED="0",
        PYTHONUNBUFFERED="1",
    )
    env[MARKER] = uuid.uuid4().hex
    env.update(extra)
    return env


# -- listeners ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Listener:
    """One listening TCP socket: its local address and port, and the process that holds it."""

    address: str
    port: int
    pid: int
    process: str


_SS_LINE = re.compile(r"^LISTEN\s+\d+\s+\d+\s+(?P<local>\S+)\s+\S+\s*(?P<users>.*)$")
_SS_USER = re.compile(r'\("(?P<name>[^"]*)",pid=(?P<pid>\d+)')


def listeners() -> list[Listener]:
    """Every listening TCP socket on this machine with its process (``ss -ltnpH``; sockets without a visible process are left out)."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        match = _SS_LINE.match(line.strip())
        if not match:
            continue
        local = match["local"]
        address, _, port = local.rpartition(":")
        for user in _SS_USER.finditer(match["users"]):
            found.append(Listener(address, int(port), int(user["pid"]), user["name"]))
    return found


def loopback(address: str) -> bool:
    """Whether a listening address from ``ss`` is on the loopback interface only.

    ``127.0.0.1``, ``[::1]`` and ``[::ffff:127.0.0.1]`` are; ``*``, ``0.0.0.0``,
    ``[::]`` and any other address are not.
    """
    host = address.strip("[]").split("%", 1)[0]
    if host.startswith("::ffff:"):
        host = host[len("::ffff:") :]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # "*" and the like: every interface


def marked_pids(marker: str) -> set[int]:
    """Processes whose environment carries ``MARKER=marker`` (the processes of one test run)."""
    needle = f"{MARKER}={marker}".encode()
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            pids.add(int(entry.name))
    return pids


def run_listeners(marker: str) -> list[Listener]:
    """The listening sockets held by the processes of the run ``marker``."""
    pids = marked_pids(marker)
    return [item for item in listeners() if item.pid in pids]


class ListenerWatch:
    """Collect, every ``interval`` seconds while the ``with`` block runs, the listeners of the run ``marker``."""

    def __init__(self, marker: str, interval: float = 0.25) -> None:
        self.marker = marker
        self.interval = interval
        self.seen: set[Listener] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="listener-watch", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.seen.update(run_listeners(self.marker))
            self._stop.wait(self.interval)

    def __enter__(self) -> "ListenerWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def beyond_loopback(self) -> list[Listener]:
        """The listeners seen that were bound to something other than loopback."""
        return sorted((item for item in self.seen if not loopback(item.address)), key=lambda item: item.port)


def wait_for_no_listeners(marker: str, timeout: float = 20.0) -> list[Listener]:
    """Wait until the run ``marker`` holds no listening socket; return what is still listening after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        left = run_listeners(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.25)


def kill_marked(marker: str) -> None:
    """SIGKILL every process still carrying the run's marker (each one by its pid; they are this test's)."""
    for pid in marked_pids(marker):
        if pid != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


# -- a `ray start` head on loopback ---------------------------------------------------------
def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RayHead:
    """A running ``ray start --head`` cluster: its address, session folder and environment."""

    address: str
    temp_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    def driver_logs(self) -> list[Path]:
        """The core-worker logs of the drivers that have joined this cluster."""
        return sorted((self.temp_dir / "session_latest" / "logs").glob("python-core-driver-*"))


def _ray_command() -> list[str]:
    script = shutil.which("ray", path=str(Path(sys.executable).parent)) or shutil.which("ray")
    return [script] if script else [sys.executable, "-m", "ray.scripts.scripts"]


@contextlib.contextmanager
def ray_head(home: Path, num_cpus: int = 2, timeout: float = 90.0) -> Iterator[RayHead]:
    """``ray start --head --node-ip-address=127.0.0.1`` for the ``with`` block, then stopped and cleaned up.

    The head runs with ``--block`` in a new session, so stopping it is a signal to its own process group
    (SIGTERM, then SIGKILL after 10 s), plus SIGKILL by pid for any marked process left.

    Raises:
        RuntimeError: the head did not start within ``timeout`` seconds (its output is in the message).
    """
    temp_dir = short_temp_dir()
    port = free_port()
    # The cluster's token, where Ray looks for it (~/.ray/auth_token); a driver with the same HOME and
    # RAY_AUTH_MODE=token presents it. (`ray start` does not write one when none exists.)
    token = home / ".ray" / "auth_token"
    if not token.exists():
        token.parent.mkdir(parents=True, exist_ok=True)
        token.write_text(uuid.uuid4().hex + uuid.uuid4().hex, encoding="ascii")
    env = ray_env(home, temp_dir, RAY_AUTH_MODE="token")
    log = temp_dir / "ray-start.log"
    command = _ray_command() + [
        "start",
        "--head",
        "--node-ip-address=127.0.0.1",
        f"--port={port}",
        f"--num-cpus={num_cpus}",
        "--num-gpus=0",
        f"--temp-dir={temp_dir}",
        "--include-dashboard=false",
        "--disable-usage-stats",
        "--block",
    ]
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    head = RayHead(f"127.0.0.1:{port}", temp_dir, env, process)
    try:
        deadline = time.monotonic() + timeout
        while b"Ray runtime started" not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ray start did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.25)
        yield head
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        time.sleep(0.5)
        kill_marked(env[MARKER])
        shutil.rmtree(temp_dir, ignore_errors=True)
