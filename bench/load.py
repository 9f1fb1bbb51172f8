"""Signing in as a browser does, one request at a time, and load with wrk.

The session cookie comes from the login form (GET for the CSRF token, POST the form); wrk
then sends it with every request. A small Lua script counts every answer that is not 2xx
(wrk itself counts 3xx as success: a redirect to the login page would pass) and prints the
exact p50/p95/p99 from wrk's latency histogram.
"""

import json
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end
function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"duration_us\\": %d, \\"non2xx\\": %d, "
      .. "\\"socket_errors\\": %d, \\"timeouts\\": %d, \\"bytes\\": %d, "
      .. "\\"p50_us\\": %d, \\"p95_us\\": %d, \\"p99_us\\": %d, \\"max_us\\": %d}\\n",
    summary.requests, summary.duration, n, e.connect + e.read + e.write, e.timeout,
    summary.bytes, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is an answer of its own here


@dataclass
class Answer:
    status: int
    body: bytes
    location: str = ""


class Browser:
    """One user's cookies, requests one at a time, redirects not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self, method: str, path: str, data: dict | None = None, *, as_json: bool = False
    ) -> Answer:
        headers = {}
        body = None
        if data is not None:
            if as_json:
                body = json.dumps(data).encode()
                headers["Content-Type"] = "application/json"
            else:
                body = urllib.parse.urlencode(data).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        if method not in ("GET", "HEAD"):
            headers["X-CSRFToken"] = self.cookie("csrftoken")
            headers["Referer"] = self.base_url + "/"
        req = urllib.request.Request(
            self.base_url + path, data=body, headers=headers, method=method
        )
        try:
            with self.opener.open(req, timeout=120) as response:
                return Answer(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), error.headers.get("Location", ""))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def log_in(self, username: str, password: str) -> None:
        form = self.get("/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        if form.status != 200 or not found:
            raise RuntimeError(f"the login page answered {form.status} without a CSRF token")
        answer = self.request(
            "POST",
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": found.group(1).decode(),
            },
        )
        if answer.status != 302 or not self.cookie("sessionid"):
            raise RuntimeError(
                f"signing in as {username} failed ({answer.status}): is the password "
                "DEMO_PASSWORD (or demo)?"
            )


@dataclass
class Load:
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    timeouts: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return self.non2xx + self.socket_errors + self.timeouts


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is needed: apt-get install wrk")
    return found


def wrk(
    url: str,
    cookie: str,
    *,
    seconds: float,
    threads: int = 2,
    connections: int = 8,
    timeout: float = 30,
) -> Load:
    """wrk -t2 -c8 -d<seconds>s --latency on url with the session cookie."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        argv = [
            wrk_path(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={timeout:g}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            url,
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    data = json.loads(line.removeprefix("BENCH "))
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        socket_errors=data["socket_errors"],
        timeouts=data["timeouts"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )
