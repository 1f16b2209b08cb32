"""One set of versions for everyone: requirements.lock pins every dependency that
pyproject.toml declares, within its ranges, and both `make` and the conda environment
install exactly the lock."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from analysis.config import PROJECT_ROOT


def _lock() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version.split(";")[0].strip()
    return pins


def test_the_lock_pins_every_dependency_within_its_range():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [Requirement(d) for d in project["project"]["dependencies"]]
    for extra in project["project"]["optional-dependencies"].values():
        declared += [Requirement(d) for d in extra]
    pins = _lock()
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run 'make lock'"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}: run 'make lock'"
        )


def test_make_and_conda_install_exactly_the_lock():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip sync .*\$\(LOCK\)", makefile)
    assert "LOCK := requirements.lock" in makefile
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda, pip = env["dependencies"][:-1], env["dependencies"][-1]["pip"]
    assert conda == ["python=3.11", "pip"]
    assert pip == ["-r requirements.lock", "-e ."]
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
