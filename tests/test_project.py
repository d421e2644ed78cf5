"""The project keeps its promises: one set of dependencies, no sys.path tricks, ruff clean."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ("bplib", "tests", "notebooks", "bench", "scripts", "conftest.py")


def _requirement_lines(text):
    return {line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()}


def test_requirements_and_environment_name_the_same_packages():
    reqs = _requirement_lines((ROOT / "requirements.txt").read_text())
    env = (ROOT / "environment.yml").read_text()
    pip_section = env.split("- pip:", 1)[1]
    env_pip = {m.group(1).strip() for m in re.finditer(r"^\s+- (.+)$", pip_section, re.M)}
    assert reqs == env_pip
    assert "-e ." in reqs and any(r.startswith("numpy>=2") for r in reqs)


def test_nothing_touches_sys_path():
    offenders = []
    for path in [
        *ROOT.glob("bplib/*.py"),
        *ROOT.glob("tests/*.py"),
        *ROOT.glob("bench/*.py"),
        *ROOT.glob("scripts/*.py"),
        *ROOT.glob("notebooks/*.ipynb"),
        ROOT / "conftest.py",
    ]:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if path.name != "test_project.py" and re.search(r"sys\.path\.(insert|append)|PYTHONPATH", text):
            offenders.append(path.name)
    assert offenders == []


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]])
def test_ruff_is_clean(args):
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it is in requirements.txt)")
    result = subprocess.run(
        [ruff, *args, *[p for p in LINTED if (ROOT / p).exists()]],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
