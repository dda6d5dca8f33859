"""``govparts archives export-bag`` run through the installed ``govparts`` command, checked by bagit.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from govparts.archives.models import Document
from govparts.archives.service import ReferenceService
from govparts.core.security import Actor
from govparts.core.signing import generate_key

from .conftest import take_step

pytest.importorskip("govparts.cli")

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""
OPENSSL = shutil.which("openssl")


def _govparts(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govparts`` command (the console script beside this interpreter)."""
    script = Path(sys.executable).with_name("govparts")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "govparts.cli"]
    env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": "en"}
    env.pop("GOVPARTS_DB_URL", None)
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False)


def _validate(bag: Path) -> subprocess.CompletedProcess[str]:
    """``bagit.py --validate`` (the Library of Congress tool, installed beside this interpreter)."""
    tool = Path(sys.executable).with_name("bagit.py")
    command = [str(tool)] if tool.exists() else [sys.executable, "-m", "bagit"]
    return subprocess.run([*command, "--validate", str(bag)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database written by ``govparts demo``: one office, two filed items, the notice signed."""
    folder = tmp_path_factory.mktemp("demo")
    done = _govparts("demo", "--db", f"sqlite:///{folder / 'demo.db'}", cwd=folder)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folder / "demo.db"


def test_archives_help_lists_export_bag() -> None:
    """Prints the archives commands' help through the installed command, --db shown and --url hidden."""
    done = _govparts("archives", "--help")
    assert done.returncode == 0, done.stderr
    assert "export-bag" in done.stdout
    done = _govparts("archives", "export-bag", "--help")
    assert done.returncode == 0, done.stderr
    assert "--db" in done.stdout
    assert "--clearance" in done.stdout
    assert "--url" not in done.stdout
    assert "Traceback" not in done.stderr


def test_help_is_translated() -> None:
    """Shows the export-bag help in Chinese and in Uyghur when the locale asks for them."""
    for locale, word in (("zh_Hans_CN", "归档"), ("ug_CN", "ئارخىپ")):
        env = {**os.environ, "COLUMNS": "200", "GOVPARTS_LOCALE": locale}
        script = Path(sys.executable).with_name("govparts")
        done = subprocess.run(
            [str(script), "archives", "export-bag", "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert word in done.stdout, locale


def test_exports_the_demo_database_as_a_bag_bagit_validates(demo_db: Path, tmp_path: Path) -> None:
    """Writes the demo's filed items as a BagIt 1.0 bag that bagit.py --validate accepts, signature kept."""
    out = tmp_path / "bag"
    done = _govparts("archives", "export-bag", "--db", f"sqlite:///{demo_db}", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 items written" in done.stdout
    assert "1 of 1 document signatures verified" in done.stdout
    checked = _validate(out)
    assert checked.returncode == 0, checked.stderr
    assert (out / "bagit.txt").read_text(encoding="utf-8") == (
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    )
    signed = sorted((out / "signatures").iterdir())
    assert len(signed) == 1
    assert {p.name for p in signed[0].iterdir()} == {
        "canonical.json",
        "document.sig",
        "signer.pem",
        "verification.json",
    }
    if OPENSSL is not None:
        verify = [OPENSSL, "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt"]
        verify += ["distid:1234567812345678", "-pubin", "-inkey", str(signed[0] / "signer.pem")]
        verify += ["-in", str(signed[0] / "canonical.json"), "-sigfile", str(signed[0] / "document.sig")]
        assert subprocess.run(verify, capture_output=True, check=False).returncode == 0


def test_chooses_items_by_fonds_year_and_code(demo_db: Path, tmp_path: Path) -> None:
    """Exports only what --fonds, --year and --item select; --url still works as the old name of --db."""
    url = f"sqlite:///{demo_db}"
    whole = tmp_path / "whole"
    assert _govparts("archives", "export-bag", "--db", url, str(whole)).returncode == 0
    codes = sorted(p.name for p in (whole / "data").iterdir())
    year = int(codes[0].split(".")[1].split("-")[0])
    one = codes[0].replace(".", "·")
    out = tmp_path / "one"
    done = _govparts(
        "archives",
        "export-bag",
        "--url",
        url,
        "--fonds",
        "Z031",
        "--year",
        str(year),
        "--item",
        one,
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert _validate(out).returncode == 0
    assert [p.name for p in (out / "data").iterdir()] == [codes[0]]

    none = tmp_path / "none"
    done = _govparts("archives", "export-bag", "--db", url, "--year", str(year - 5), str(none))
    assert done.returncode == 2
    assert "selection" in done.stderr
    assert not none.exists()


def test_refuses_an_existing_target_and_a_missing_database(demo_db: Path, tmp_path: Path) -> None:
    """Exits 2 leaving an existing OUT untouched, and creates nothing for a database that does not exist."""
    out = tmp_path / "bag"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    done = _govparts("archives", "export-bag", "--db", f"sqlite:///{demo_db}", str(out))
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]

    work = tmp_path / "work"
    work.mkdir()
    done = _govparts("archives", "export-bag", "new-bag", cwd=work)  # default: ./govparts-demo.db
    assert done.returncode == 2
    assert "govparts-demo.db" in done.stderr
    assert list(work.iterdir()) == []


@pytest.mark.db
def test_classified_items_need_the_clearance_and_nothing_is_written_without(
    engine: sa.Engine,
    staff: dict[str, Actor],
    make_draft: Callable[..., Any],
    tmp_path: Path,
) -> None:
    """Refuses a selection holding a 机密 item without --clearance JM, writing nothing; exports it with it."""
    service = ReferenceService(engine, signers={ORG: generate_key()})
    ids = []
    for changes in ({}, {"secrecy": "JM", "copy_number": "000001", "title": "关于安全保密检查的通知"}):
        doc: Document = service.draft_outgoing(
            staff["drafter"], ORG, make_draft(written_on=date(2025, 3, 1), **changes)
        )
        for role, transition, inputs in (
            ("drafter", "submit", None),
            ("reviewer", "approve_review", None),
            ("signer", "sign_off", None),
            ("checker", "pass_check", None),
            ("registrar", "register_and_number", None),
            ("printer", "print", {"copies": 3}),
            ("issuer", "issue", None),
        ):
            doc = take_step(service, staff[role], doc.id, transition, inputs)
        ids.append(service.file_document(staff["archivist"], ORG, doc.id).id)
    url = engine.url.render_as_string(hide_password=False)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    done = _govparts(
        "archives", "export-bag", "--db", url, "--org", ORG, "--year", "2025", str(out_dir / "bag")
    )
    assert done.returncode == 2
    assert "clearance" in done.stderr.lower()
    assert list(out_dir.iterdir()) == []

    done = _govparts(
        "archives", "export-bag", "--db", url, "--org", ORG, "--clearance", "JM", str(out_dir / "bag")
    )
    assert done.returncode == 0, done.stderr
    assert _validate(out_dir / "bag").returncode == 0
    assert "2 of 2 document signatures verified" in done.stdout
    metadata = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((out_dir / "bag" / "data").glob("*/metadata.json"))
    ]
    assert sorted(m["权限管理"]["控制标识"] for m in metadata) == ["JM", "非密"]
    with engine.connect() as conn:
        readers = (
            conn.execute(sa.text("SELECT actor_id FROM core_audit_record WHERE action = 'export-package'"))
            .scalars()
            .all()
        )
    assert readers == ["govparts-cli:archives-export-bag"]
