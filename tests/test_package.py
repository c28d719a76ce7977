"""The package as installed from its wheel: shipped models and templates travel with it (README, "Layout")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"


def _declared_packages() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return set(tomllib.load(handle)["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_declared_for_the_wheel() -> None:
    found = {
        ".".join(init.parent.relative_to(SOURCE).parts)
        for init in SOURCE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= _declared_packages(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_shipped_folders_are_declared_with_their_files() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        setuptools = tomllib.load(handle)["tool"]["setuptools"]
    assert setuptools["package-dir"]["strategic_assessment.shipped.models"] == "models"
    assert setuptools["package-dir"]["strategic_assessment.shipped.templates"] == "templates"
    patterns = setuptools["package-data"]["strategic_assessment.shipped.templates"]
    suffixes = {path.suffix for path in (ROOT / "templates").iterdir() if path.is_file()}
    assert suffixes <= {pattern.removeprefix("*") for pattern in patterns}


def _fresh_environment(folder: Path) -> Path:
    """A new virtual environment that borrows the dependencies, not the project, from the running one."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # A plain path entry: the running environment's own .pth files (its editable install) are not processed.
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


# Left out of the copy the wheel is built from: what a build made before (a file it holds would be packed
# again, even one the configuration no longer ships), the environment and the tools' caches.
NOT_BUILT_FROM = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*cache*")


def _build_wheel(folder: Path, copy: Path) -> subprocess.CompletedProcess[str]:
    """The project's wheel, built into ``folder`` by the backend pyproject.toml names, in a process of its own.

    Called as a build frontend calls it (PEP 517 ``build_wheel``) without a build environment: the running
    environment's own setuptools (a dev dependency), as ``pip wheel --no-build-isolation`` would use, without
    pip's start and the processes it runs the backend in. It builds in ``copy``, a fresh copy of the project,
    so the wheel holds what the configuration ships and nothing an earlier build left in ``build/``.
    """
    shutil.copytree(ROOT, copy, ignore=NOT_BUILT_FROM, symlinks=True)
    with (copy / "pyproject.toml").open("rb") as handle:
        system = tomllib.load(handle)["build-system"]
    code = (
        "import importlib, sys; sys.path[:0] = sys.argv[3:];"
        "print(importlib.import_module(sys.argv[1]).build_wheel(sys.argv[2]))"
    )
    paths = [str(copy / path) for path in system.get("backend-path", [])]
    return subprocess.run(
        [sys.executable, "-c", code, system["build-backend"], str(folder), *paths],
        capture_output=True,
        text=True,
        cwd=copy,
    )


def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path, chart_drawings: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    built = _build_wheel(wheels, tmp_path / "project")
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("*.whl"))
    python = _fresh_environment(tmp_path / "venv")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    command = tmp_path / "venv" / "bin" / "strategic-assessment"
    assert command.read_text(encoding="utf-8").splitlines()[0] == f"#!{python}"  # the console script runs in the venv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # the run's drawings as the chart cache (keyed by each chart's content): only the documents are new work
    outputs = tmp_path / "outputs"
    (outputs / ".cache").mkdir(parents=True)
    (outputs / ".cache" / "charts").symlink_to(chart_drawings, target_is_directory=True)
    # In one process of the venv (one start, one import of the program): where the installed package finds
    # its models and templates, `validate` through it, then the console script the wheel installs, run as
    # its own file, for `generate` (its exit status is the process's).
    code = (
        "import runpy, sys\n"
        "from strategic_assessment import cli, resources\n"
        "print(resources.SHIPPED_MODELS, resources.TEMPLATES, sep='\\n', flush=True)\n"
        "inputs, script, *generate = sys.argv[1:]\n"
        "sys.argv = ['strategic-assessment', 'validate', '--inputs', inputs]\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as stop:\n"
        "    print('validate exited with', stop.code, flush=True)\n"
        "sys.argv = [script, *generate]\n"
        "runpy.run_path(script, run_name='__main__')\n"
    )
    generate = ["generate", "--inputs", str(ROOT / "inputs"), "--no-pdf", "--outputs", str(outputs)]
    result = subprocess.run(
        [str(python), "-c", code, str(ROOT / "inputs"), str(command), *generate],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (package,) = (tmp_path / "venv").glob("lib/python*/site-packages/strategic_assessment")  # the installed copy
    models, templates, *printed = result.stdout.splitlines()
    assert Path(models) == package / "shipped" / "models" and (Path(models) / "morile.yaml").is_file(), models
    assert Path(templates) == package / "shipped" / "templates", templates
    assert any(line.startswith("Inputs are valid:") for line in printed), result.stdout
    assert "validate exited with 0" in printed, result.stdout + result.stderr
    produced = outputs / "2018-19"
    assert (produced / "strategic_assessment.docx").stat().st_size > 10_000
    assert (produced / "plan_on_a_page.docx").stat().st_size > 10_000
    manifest = json.loads((produced / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["model"]["file"]).is_relative_to(package), manifest["model"]  # the model the run read
