"""Wheel build hook: compile the DD scorer's hot modules with mypyc.

The modules listed under ``compile`` in ``[tool.hatch.build.targets.wheel.hooks.custom]`` are
compiled to C extensions with mypyc (part of mypy) and shipped beside their unchanged ``.py``
sources; Python imports the extension first. The code is the same either way: mypyc compiles
the type-checked sources as they are (``--config-file pyproject.toml``, the strict settings CI
checks with), and the test suite runs against both the pure-Python editable install and the
compiled wheel (``.ci/run``).

* Regular wheels (``pip install .``) are compiled; nothing is written into the source tree (the
  generated C and the extensions live in a temporary directory until the wheel is written).
* Editable installs (``pip install -e .``) stay pure Python, so that an edited module takes
  effect without a rebuild.
* ``COMPLIANCE_COMPILE``: ``auto`` (default) compiles and falls back to a pure-Python wheel with
  a warning when compilation is impossible (no C compiler, not CPython); ``require`` fails the
  build instead (CI); ``no`` never compiles.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

target, lib, temp, cache, config, *paths = sys.argv[1:]
setup(
    name="compliance-compiled",
    ext_modules=mypycify(
        ["--config-file", config, "--cache-dir", cache, *paths],
        opt_level="3",
        target_dir=target,
    ),
    script_args=["build_ext", "--build-lib", lib, "--build-temp", temp],
)
"""


class CompileHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles the configured modules into the regular wheel (see the module docstring)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile before the wheel is assembled; add the extensions to it."""
        self._work: str | None = None
        mode = os.environ.get("COMPLIANCE_COMPILE", "auto").strip().lower()
        if mode not in ("auto", "require", "no"):
            raise ValueError(f"COMPLIANCE_COMPILE must be auto, require or no, not {mode!r}")
        if self.target_name != "wheel" or version != "standard" or mode == "no":
            return
        try:
            if platform.python_implementation() != "CPython":
                raise RuntimeError(f"mypyc needs CPython, not {platform.python_implementation()}")
            extensions = self._compile()
        except Exception as exc:
            if mode == "require":
                raise
            print(f"compliance: pure-Python wheel (compiling failed: {exc})", file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(extensions)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the temporary build directory once the wheel is written."""
        if getattr(self, "_work", None):
            shutil.rmtree(str(self._work), ignore_errors=True)

    def _compile(self) -> dict[str, str]:
        """Run mypyc + build_ext in a temporary directory; extension path -> path in the wheel."""
        root = Path(self.root)
        modules = self.config.get("compile", [])
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            raise TypeError("the hook's `compile` option must be a list of module names")
        source = root / "src"
        paths = [str(Path(*m.split(".")).with_suffix(".py")) for m in modules]
        missing = [p for p in paths if not (source / p).is_file()]
        if missing:
            raise FileNotFoundError(f"modules to compile not found under src/: {missing}")
        work = self._work = tempfile.mkdtemp(prefix="compliance-mypyc-")
        lib = Path(work, "lib")
        script = Path(work, "setup.py")
        script.write_text(_SETUP, encoding="utf-8")
        args = [str(Path(work, d)) for d in ("c", "lib", "temp", "cache")]
        args.append(str(root / "pyproject.toml"))
        proc = subprocess.run(
            [sys.executable, str(script), *args, *paths],
            cwd=source,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
            raise RuntimeError(f"mypyc exited with {proc.returncode}:\n{tail}")
        built = {
            str(p): p.relative_to(lib).as_posix()
            for p in lib.rglob("*")
            if p.suffix in (".so", ".pyd")
        }
        expected = {Path(p).with_suffix("").as_posix() for p in paths}
        found = {name.split(".", 1)[0] for name in built.values()}
        if not expected <= found:
            raise RuntimeError(f"mypyc built no extension for {sorted(expected - found)}")
        print(f"compliance: compiled {len(paths)} modules with mypyc", file=sys.stderr)
        return built
