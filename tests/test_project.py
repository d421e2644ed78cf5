"""The project keeps its promises: one set of dependencies, no sys.path tricks, ruff clean."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINTED = ("bplib", "tests", "notebooks", "bench", "scripts", "website", "conftest.py")


def _requirement_lines(text):
    return {line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()}


def _package(line):
    """The package a requirement line names ("playwright>=1.40" -> "playwright"), lower case."""
    return re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower().replace("_", "-")


def test_requirements_and_environment_name_the_same_packages():
    """environment.yml is the course's environment, as requirements.txt is (`make lab`, `make app`):
    the same pip list, and none of the tests' extras."""
    reqs = _requirement_lines((ROOT / "requirements.txt").read_text())
    env = (ROOT / "environment.yml").read_text()
    pip_section = env.split("- pip:", 1)[1]
    env_pip = {m.group(1).strip() for m in re.finditer(r"^\s+- (.+)$", pip_section, re.M)}
    assert reqs == env_pip
    assert "-e ." in reqs and any(r.startswith("numpy>=2") for r in reqs)
    assert "playwright" not in {_package(r) for r in reqs if not r.startswith("-")}


def test_requirement_files_build_on_each_other():
    """requirements.txt (the course: `make lab`, `make app`) < requirements-site.txt (+ the website's
    Sphinx tools and offline MathJax: `make site`) < requirements-test.txt (+ playwright and axe for
    the browser tests: `make test`), each naming only what it adds."""
    course = {_package(r) for r in _requirement_lines((ROOT / "requirements.txt").read_text()) if r[0] != "-"}
    layers = {"requirements-site.txt": "requirements.txt", "requirements-test.txt": "requirements-site.txt"}
    added = {}
    for name, base in layers.items():
        lines = _requirement_lines((ROOT / name).read_text())
        assert {r for r in lines if r.startswith("-")} == {f"-r {base}"}, name  # no other -r/-e
        added[name] = {_package(r) for r in lines if not r.startswith("-")}
    assert added == {
        "requirements-site.txt": {
            "sphinx",
            "sphinx-book-theme",
            "myst-nb",
            "sphinx-copybutton",
            "sphinx-mathjax-offline",
            "jieba",
        },
        "requirements-test.txt": {"playwright", "axe-playwright-python"},
    }
    assert not (added["requirements-site.txt"] | added["requirements-test.txt"]) & course
    make = (ROOT / "Makefile").read_text()
    prerequisites = dict(re.findall(r"^([\w$()-]+):(.*)$", make, re.M))
    assert prerequisites["test"].split() == ["$(TEST_STAMP)"]
    assert prerequisites["site"].split() == ["$(SITE_STAMP)"]
    assert prerequisites["lab"].split() == prerequisites["app"].split() == ["$(STAMP)"]
    assert prerequisites["$(TEST_STAMP)"].split()[0] == "$(SITE_STAMP)"
    assert prerequisites["$(SITE_STAMP)"].split()[0] == "$(STAMP)"
    installs = re.findall(r"^(\$\(\w+\)):.*\n(?:\t.*\n)*?\t.*pip install .*-r (\S+)$", make, re.M)
    assert dict(installs) == {
        "$(STAMP)": "requirements.txt",
        "$(SITE_STAMP)": "requirements-site.txt",
        "$(TEST_STAMP)": "requirements-test.txt",
    }


def test_package_data_names_folders_that_exist():
    """The fonts ship in a wheel only if pyproject.toml names their package."""
    data = re.search(
        r"\[tool.setuptools.package-data\]\n((?:.+\n)+)", (ROOT / "pyproject.toml").read_text()
    ).group(1)
    for package in re.findall(r'^"([\w.]+)"', data, re.M):
        assert (ROOT / package.replace(".", "/") / "__init__.py").is_file(), package


def test_nothing_touches_sys_path():
    offenders = []
    for path in [
        *ROOT.glob("bplib/**/*.py"),
        *ROOT.glob("tests/*.py"),
        *ROOT.glob("bench/*.py"),
        *ROOT.glob("scripts/*.py"),
        *ROOT.glob("website/*.py"),
        *ROOT.glob("notebooks/**/*.ipynb"),
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
