"""Start JupyterLab on ``notebooks/`` (what ``make lab`` runs): root-safe, browser only with a display, URL printed.

Run as ``python -m helpers.pipeline.lab [--port 8888] [--ip 127.0.0.1]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from helpers.config import NOTEBOOKS_DIR

DEFAULT_PORT = 8888
DEFAULT_IP = "127.0.0.1"
WILDCARD_IPS = ("", "0.0.0.0", "::", "*")


def is_root() -> bool:
    """Whether this process runs as root (``id -u`` is 0); never on Windows."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether a browser could be opened here: macOS and Windows always, elsewhere only with X11 or Wayland."""
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def lab_command(
    port: int, ip: str, *, root: bool, display: bool, notebooks_dir: Path = NOTEBOOKS_DIR,
    python: str = sys.executable,
) -> list[str]:
    """The ``jupyter lab`` command line; the token travels in the environment (``JUPYTER_TOKEN``), not here.

    ``port_retries=0``: a busy port is an error rather than a silent move to another port, so the URL
    printed beforehand is the one the server listens on.
    """
    command = [
        python, "-m", "jupyterlab",
        f"--ServerApp.root_dir={notebooks_dir}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
    ]
    if not display:
        command.append("--no-browser")
    if root:
        command.append("--allow-root")
    return command


def lab_url(port: int, ip: str, token: str) -> str:
    """The address to open, token included (a wildcard bind is reached through 127.0.0.1)."""
    host = DEFAULT_IP if ip in WILDCARD_IPS else ip
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/lab?token={token}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m helpers.pipeline.lab",
                                     description="在 notebooks/ 启动 JupyterLab（make lab）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口，默认 {DEFAULT_PORT}")
    parser.add_argument("--ip", default=DEFAULT_IP, help=f"监听地址，默认 {DEFAULT_IP}（仅本机可访问）")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f"端口应为 1 到 65535 之间的整数，收到 {args.port}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Print how to reach the server, then become ``jupyter lab`` (exec on POSIX, so Ctrl-C goes to it)."""
    args = parse_args(argv)
    root, display = is_root(), has_display()
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    env = {**os.environ, "JUPYTER_TOKEN": token}
    command = lab_command(args.port, args.ip, root=root, display=display)
    if root:
        print("当前以 root 用户运行：已加上 --allow-root。", flush=True)
    if not display:
        print("没有图形界面：不自动打开浏览器，请在浏览器中打开下面的地址。", flush=True)
    print(f"JupyterLab 地址：{lab_url(args.port, args.ip, token)}", flush=True)
    if os.name == "posix":
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
