"""The conda environment and the pip project declare the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis.config import PROJECT_ROOT

# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"pyyaml": "pyyaml"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pip_deps = {_name(d): d for d in project["project"]["dependencies"]}
    for extra in project["project"]["optional-dependencies"].values():
        pip_deps |= {_name(d): d for d in extra}

    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda_deps = {}
    pip_section = None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        conda_deps[CONDA_TO_PYPI.get(_name(dep), _name(dep))] = dep.replace(" ", "")
    assert conda_deps.pop("python") == "python=3.11"
    conda_deps.pop("pip")
    assert pip_section[-1] == "-e ."
    for dep in pip_section[:-1]:  # packages that conda-forge lacks
        conda_deps[_name(dep)] = dep.replace(" ", "")
    assert conda_deps.keys() == pip_deps.keys()
    for name, spec in conda_deps.items():
        # same lower bound on both sides
        assert spec == pip_deps[name].replace(" ", ""), name
