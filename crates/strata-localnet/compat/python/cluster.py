"""The real embedded local cluster for the Python clients: the `strata-localnet` binary
(built by the caller, found in CARGO_TARGET_DIR or the workspace's target/) on a free
port, stopped with SIGTERM."""

import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = target / "debug" / "strata-localnet"
    if not path.exists():
        raise RuntimeError(f"{path} missing: cargo build -p strata-localnet first")
    return path


class Cluster:
    def __init__(self) -> None:
        env = {**os.environ, "RUST_LOG": "error"}
        self.process = subprocess.Popen(
            [str(binary()), "--port", "0"], stdout=subprocess.PIPE, text=True, env=env
        )
        self.url = self.ws_url = ""
        deadline = time.monotonic() + 60
        output = ""
        assert self.process.stdout is not None
        while not (self.url and self.ws_url):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"strata-localnet did not start: {output}")
            line = self.process.stdout.readline()
            output += line
            if match := re.search(r"listening on (http://\S+)", line):
                self.url = match.group(1)
            if match := re.search(r"websocket subscriptions on (ws://\S+)", line):
                self.ws_url = match.group(1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
