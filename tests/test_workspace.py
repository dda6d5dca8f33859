"""The monorepo keeps its own rules: one version, PEP 420 namespace, typed packages, no cross-part imports."""

from __future__ import annotations

import ast
import configparser
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(p for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").is_file())
# Infrastructure, not parts. The CLI and the kit find parts by entry point, never by import.
NOT_PARTS = {"core", "cli", "conformance"}


def _project(path: Path) -> dict[str, object]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    project = data["project"]
    assert isinstance(project, dict)
    return project


def test_every_distribution_shares_one_version() -> None:
    """Gives the meta-distribution and every package the same version."""
    versions = {p.name: _project(p / "pyproject.toml")["version"] for p in PACKAGES}
    versions["govparts"] = _project(ROOT / "pyproject.toml")["version"]
    assert len(set(versions.values())) == 1, versions


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_package_is_a_typed_pep420_namespace_member(package: Path) -> None:
    """Ships py.typed and no govparts/__init__.py, so every distribution shares the namespace."""
    src = package / "src" / "govparts"
    assert not (src / "__init__.py").exists()
    assert (src / package.name / "py.typed").is_file()


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_build_hook_copies_are_identical(package: Path) -> None:
    """Keeps every package's catalog-compiling build hook the same as core's."""
    core_hook = (ROOT / "packages" / "core" / "hatch_build.py").read_text(encoding="utf-8")
    assert (package / "hatch_build.py").read_text(encoding="utf-8") == core_hook


def test_meta_distribution_installs_every_package() -> None:
    """Lists every workspace package as a dependency of the govparts meta-distribution."""
    deps = " ".join(str(d) for d in _project(ROOT / "pyproject.toml")["dependencies"])  # type: ignore[attr-defined]
    for package in PACKAGES:
        assert f"govparts-{package.name}" in deps


def test_every_package_has_a_tox_env_of_its_own() -> None:
    """Declares a pkg-<name> tox environment for every package, and runs it by default."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tox.ini", encoding="utf-8")
    env_list = config["tox"]["env_list"]
    section = next(s for s in config.sections() if s.startswith("testenv:pkg-{"))
    for package in PACKAGES:
        assert f"pkg-{package.name}" in env_list
        assert package.name in section
        assert f"{package.name}: pytest" in config[section]["commands"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_package_imports_a_part_other_than_itself(package: Path) -> None:
    """Keeps packages independent: each imports core and itself; a part may also use the kit."""
    allowed = {"core", package.name}
    if package.name not in NOT_PARTS:
        allowed.add("conformance")
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted(package.rglob("*.py"))
        for module in _imported_modules(path)
        if module.startswith("govparts.") and module.split(".")[1] not in allowed
    ]
    assert not offenders, offenders
