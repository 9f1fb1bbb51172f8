"""The served stack of the web benchmark: gunicorn (4 sync workers) and a real Celery worker,
started as children in sessions of their own and stopped by their process group."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    env: dict[str, str]  # the whole environment of the children
    port: int
    log_dir: Path
    workers: int = 4
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def worker_name(self) -> str:
        return f"benchweb-{os.getpid()}@{socket.gethostname()}"

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: Ctrl-C is ours to pass on, and kill -- -pid
        )
        log.close()
        self.processes[name] = process
        return process

    def start(self) -> None:
        self._spawn(
            "celery",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "itsm_pmo",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--purge",  # messages left in the bench's broker database by an earlier run
                "-n",
                self.worker_name,
            ],
        )
        self._spawn(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "itsm_pmo.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
        )
        self._wait_for_gunicorn()
        self._wait_for_worker()

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited ({process.returncode}); see {self.log_dir / name}.log"
                )

    def _wait_for_gunicorn(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(f"{self.base_url}/accounts/login/", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")

    def _wait_for_worker(self, timeout: float = 60) -> None:
        from celery import Celery

        app = Celery(broker=self.env["CELERY_BROKER_URL"])
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self._check_alive()
                if app.control.ping(destination=[self.worker_name], timeout=1.0):
                    return
            raise RuntimeError(f"the Celery worker did not answer a ping within {timeout:.0f} s")
        finally:
            app.close()

    def cpu_ticks(self, name: str) -> int:
        """CPU time (clock ticks) of every live process in the group of `name`."""
        group, total = self.processes[name].pid, 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after the name: state ppid pgrp … utime (12th) stime (13th)
            if int(fields[2]) == group:
                total += int(fields[11]) + int(fields[12])
        return total

    def wait_idle(self, name: str = "gunicorn", timeout: float = 180) -> float:
        """Wait until the group has used (almost) no CPU for 0.4 s: the requests a load left
        in flight (wrk stops; the workers finish what they had accepted) are done. Returns
        the seconds waited."""
        started = time.monotonic()
        quiet, last = 0, self.cpu_ticks(name)
        while quiet < 2 and time.monotonic() - started < timeout:
            time.sleep(0.2)
            now = self.cpu_ticks(name)
            quiet = quiet + 1 if now - last <= 1 else 0
            last = now
        return time.monotonic() - started

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.processes.items()}

    def stop(self) -> None:
        """TERM each group we started, then KILL what is left after 15 s."""
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        self.processes.clear()
