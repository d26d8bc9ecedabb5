"""A real spreadsheet for the sheets ragw writes: Debian's LibreOffice Calc, headless.

Opening a file and saving it as CSV shows what a person opening it would see: a formula
LibreOffice ran shows as its value (a sum, a link's label), a text as the text. The
set-up installs the package when it is missing and it can (as root, with apt); outside
CI a machine without it skips these tests, in CI (CI=true) they fail.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = "libreoffice-calc-nogui"
#: CSV as LibreOffice reads and writes it here: comma, double quote, UTF-8, from line 1.
CSV_OPTIONS = "44,34,76,1"


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def install_libreoffice() -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "update", "-qq"], check=False, env=env, timeout=600, capture_output=True
    )
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", PACKAGE],
        check=False,
        env=env,
        timeout=900,
        capture_output=True,
    )


def required_soffice() -> str:
    path = find_soffice()
    if path is None:
        install_libreoffice()
        path = find_soffice()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                f"Debian's LibreOffice ({PACKAGE}) is required in CI and could not be installed"
            )
        pytest.skip("no LibreOffice here, and it could not be installed")
    return path


class LibreOffice:
    """Converts files as a person opening them in LibreOffice Calc would see them."""

    def __init__(self, soffice: str, profile: Path) -> None:
        self.soffice = soffice
        self.profile = profile  # its own profile, so runs in parallel do not share a lock

    def convert(self, files: list[Path], to: str, out: Path) -> list[Path]:
        """``files`` (.csv read as UTF-8) saved as ``to`` ("csv" or "xlsx") in ``out``."""
        out.mkdir(parents=True, exist_ok=True)
        target = f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}" if to == "csv" else to
        for file in files:  # one at a time: a CSV needs its filter, a workbook must not have it
            infilter = [f"--infilter=CSV:{CSV_OPTIONS}"] if file.suffix == ".csv" else []
            done = subprocess.run(
                [
                    self.soffice,
                    f"-env:UserInstallation={self.profile.as_uri()}",
                    "--headless",
                    *infilter,
                    "--convert-to",
                    target,
                    "--outdir",
                    str(out),
                    str(file),
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            converted = out / f"{file.stem}.{to}"
            assert converted.is_file(), (done.stdout, done.stderr)
        return [out / f"{file.stem}.{to}" for file in files]

    def shown(self, file: Path, out: Path) -> list[list[str]]:
        """The first sheet of ``file`` as LibreOffice shows it, row by row."""
        (converted,) = self.convert([file], "csv", out)
        with converted.open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))
