"""`make lab`: the command line it builds, and the real server it starts (REST API, a kernel that imports helpers).

The server test starts ``python -m helpers.pipeline.lab`` exactly as the Makefile does, on 127.0.0.1, a free port
and a known token; as root (CI) that command adds --allow-root itself. Without jupyterlab it skips locally,
and fails under CI (``CI`` set), where ``make test`` installs requirements-lab.txt.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from helpers.config import NOTEBOOKS_DIR, ROOT
from helpers.pipeline import lab

STARTUP_LIMIT_S = 180
"""How long the server may take to answer before the test gives up (a hang guard, not a timing check)."""


# --- the command line --------------------------------------------------------------------------------


def test_root_gets_allow_root_and_others_do_not():
    as_root = lab.lab_command(8888, "127.0.0.1", root=True, display=False)
    as_user = lab.lab_command(8888, "127.0.0.1", root=False, display=False)
    assert "--allow-root" in as_root
    assert "--allow-root" not in as_user


def test_no_browser_without_a_display():
    assert "--no-browser" in lab.lab_command(8888, "127.0.0.1", root=False, display=False)
    assert "--no-browser" not in lab.lab_command(8888, "127.0.0.1", root=False, display=True)
    assert not lab.has_display({}, "linux")
    assert lab.has_display({"DISPLAY": ":0"}, "linux")
    assert lab.has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert lab.has_display({}, "darwin")


def test_port_ip_and_notebooks_folder_are_passed_and_the_port_is_not_moved(tmp_path):
    command = lab.lab_command(9123, "0.0.0.0", root=False, display=False, notebooks_dir=tmp_path)
    assert "--ServerApp.port=9123" in command
    assert "--ServerApp.ip=0.0.0.0" in command
    assert f"--ServerApp.root_dir={tmp_path}" in command
    assert "--ServerApp.port_retries=0" in command
    assert not any("token" in part for part in command), "the token belongs in the environment, not in ps"


def test_the_url_carries_the_token():
    assert lab.lab_url(8888, "127.0.0.1", "abc") == "http://127.0.0.1:8888/lab?token=abc"
    assert lab.lab_url(8890, "0.0.0.0", "abc") == "http://127.0.0.1:8890/lab?token=abc"
    assert lab.lab_url(8890, "::1", "abc") == "http://[::1]:8890/lab?token=abc"


def test_a_bad_port_is_refused_in_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        lab.parse_args(["--port", "70000"])
    assert exc.value.code == 2
    assert "端口" in capsys.readouterr().err


def test_make_lab_runs_the_module_with_port_and_ip():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m helpers.pipeline.lab --port $(PORT) --ip $(IP)" in makefile
    assert "PORT ?= 8888" in makefile and "IP ?= 127.0.0.1" in makefile
    assert "test: $(LAB_STAMP)" in makefile, "make test installs the lab extras the server test needs"


# --- the real server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_jupyterlab() -> None:
    if importlib.util.find_spec("jupyterlab") is None or importlib.util.find_spec("jupyter_server") is None:
        message = "jupyterlab 未安装（pip install -r requirements-lab.txt，make test 会自动安装）"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class Server:
    """A running ``python -m helpers.pipeline.lab`` and how to talk to it."""

    def __init__(self, tmp_path: Path):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.log = tmp_path / "lab.log"
        env = {
            **os.environ,
            "JUPYTER_TOKEN": self.token,
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),  # no user configuration leaks in
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "helpers.pipeline.lab", "--port", str(self.port), "--ip", "127.0.0.1"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"token {token or self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)

    def wait_until_up(self) -> dict:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.output()[-3000:]}")
            try:
                return self.request("GET", "/api/status")[1]
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        pytest.fail(f"the server did not answer within {STARTUP_LIMIT_S} s:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.request("POST", "/api/shutdown")
            except (urllib.error.URLError, ConnectionError):
                pass
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(timeout=30)


def execute(server: Server, kernel_id: str, code: str) -> dict:
    """Run ``code`` in the kernel over its websocket; the stdout, errors and reply status it produced."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def run() -> dict:
        session = uuid.uuid4().hex
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={session}"
        conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {server.token}"}))
        msg_id = uuid.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session, "username": "test",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        found = {"stdout": "", "errors": [], "status": None}
        while found["status"] is None:
            raw = await asyncio.wait_for(conn.read_message(), timeout=120)
            assert raw is not None, "the kernel websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream" and msg["content"]["name"] == "stdout":
                found["stdout"] += msg["content"]["text"]
            elif kind == "error":
                found["errors"].append("\n".join(msg["content"]["traceback"]))
            elif kind == "execute_reply":
                found["status"] = msg["content"]["status"]
        conn.close()
        return found

    return asyncio.run(run())


@pytest.mark.e2e
def test_make_lab_serves_the_notebooks_and_a_kernel_that_imports_helpers(tmp_path):
    require_jupyterlab()
    server = Server(tmp_path)
    try:
        status = server.wait_until_up()
        assert "started" in status

        out = server.output()
        assert f"http://127.0.0.1:{server.port}/lab?token={server.token}" in out
        assert ("--allow-root" in out) == (os.geteuid() == 0)

        with pytest.raises(urllib.error.HTTPError) as denied:
            server.request("GET", "/api/contents", token="wrong")
        assert denied.value.code == 403

        listing = server.request("GET", "/api/contents")[1]
        names = {item["name"] for item in listing["content"] if item["type"] == "notebook"}
        assert {p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")} <= names
        assert "explore.ipynb" in names

        code, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
        assert code == 201
        result = execute(server, kernel["id"], "from helpers.report import notebook\nprint(notebook.__file__)")
        assert result["errors"] == [] and result["status"] == "ok"
        assert Path(result["stdout"].strip()) == ROOT / "helpers" / "report" / "notebook.py"
        assert server.request("DELETE", f"/api/kernels/{kernel['id']}")[0] == 204
    finally:
        server.stop()
    assert server.process.returncode is not None


def test_without_jupyterlab_the_server_test_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_jupyterlab()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_jupyterlab()
