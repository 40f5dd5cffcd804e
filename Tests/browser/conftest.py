"""Fixtures for the browser tests: a demo server and a headless Chromium.

The server is the `wangge` binary (env WANGGE_BIN, default .build/debug/wangge of this
repository) running `demo` on a temporary SQLite database and a free port, from the
repository root so that it serves Public/.
"""
import json
import os
import secrets
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("WANGGE_BIN") or REPO / ".build" / "debug" / "wangge")
PASSWORD = "Wangge@2026"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
            return r.status == 200 and json.load(r).get("status") == "ok"
    except (OSError, ValueError):
        return False


_SERVER_LOG = [None]


@pytest.fixture(scope="session")
def server_log(server):
    """Path of the demo server's output (the logging SMS gateway writes verification codes there)."""
    return _SERVER_LOG[0]


@pytest.fixture(scope="session")
def server():
    """Base URL (http://localhost:PORT) of a demo server for the whole session."""
    if not BIN.exists():
        pytest.fail(f"server binary not found: {BIN} (build with `swift build --product wangge` or set WANGGE_BIN)")
    tmp = tempfile.TemporaryDirectory(prefix="wangge-browser-")
    port = _free_port()
    env = dict(os.environ)
    env["WANGGE_SECRET"] = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40))
    env["WANGGE_DATA_DIR"] = str(Path(tmp.name) / "data")
    env.pop("WANGGE_TILE_URL", None)
    log_path = Path(tmp.name) / "server.log"
    _SERVER_LOG[0] = log_path
    log = open(log_path, "w+b")
    proc = subprocess.Popen(
        [str(BIN), "demo", "--database", f"sqlite:///{tmp.name}/demo.sqlite", "--port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://localhost:{port}"
    failed = True
    try:
        deadline = time.monotonic() + 120
        while not _healthy(base):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with status {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /healthz within 120 s")
            time.sleep(0.25)
        failed = False
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if failed or proc.returncode not in (0, -15):
            log.seek(0)
            print("---- wangge server output ----")
            print(log.read().decode("utf-8", "replace")[-20000:])
        log.close()
        tmp.cleanup()


class Api:
    """A tiny bearer-token client for preparing and checking test data."""

    def __init__(self, base, username, password=PASSWORD):
        self.base = base
        body = self._call("POST", "/api/v1/auth/login", {"username": username, "password": password})
        self.token = body["token"]
        self.account = body["account"]

    def _call(self, method, path, payload=None, token=None):
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    def get(self, path):
        return self._call("GET", path, token=self.token)

    def status(self, path):
        try:
            self.get(path)
            return 200
        except urllib.error.HTTPError as e:
            return e.code


@pytest.fixture(scope="session")
def admin_api(server):
    return Api(server, "admin")


@pytest.fixture(scope="session")
def api_for(server):
    return lambda username: Api(server, username)


@pytest.fixture
def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.implicitly_wait(0)
    yield d
    d.quit()
