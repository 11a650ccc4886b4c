"""`ctscreen lists ...` end to end on the real list files, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctscreen.cli import app

runner = CliRunner()

# Expected counts from ../shared/data/lists/PROVENANCE.md (computed there from the files themselves).
PROVENANCE_COUNTS = {
    "un/consolidated.xml": ("un", 1003, 730, 273),
    "ofac/sdn_2024-05-03/sdn.csv": ("ofac-sdn", 14965, 6854, 6884),
    "ofac/legacy_csv_2021-07-07/sdn.csv": ("ofac-sdn", 8976, 4620, 3673),
    "ofac/consolidated_non_sdn/cons_prim.csv": ("ofac-cons", 442, 79, 363),
    "ofac/consolidated_non_sdn/consolidated.xml": ("ofac-cons", 442, 79, 363),
    "uk/ConList.xlsx": ("uk-ofsi", 4688, 3663, 1010),
    "uk/FCDO_SL_2025-08-11_summary.ods": ("uk-fcdo", 5302, 3754, 1087),
    "us_csl/csl_subset_2023-11-30.csv": ("us-csl", 4220, None, None),
    "us_csl/consolidated_fixture_2025-06-25.csv": ("us-csl", 13, None, None),
}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def status(source: str | None = None) -> list[dict] | dict:
    code, stdout, _ = run("lists", "status", "--json")
    assert code == 0
    data = json.loads(stdout)
    if source is None:
        return data
    [entry] = [d for d in data if d["source"] == source]
    return entry


@pytest.mark.parametrize("relative", sorted(PROVENANCE_COUNTS))
def test_every_real_file_imports_with_provenance_counts(relative, lists_dir, cli_env):
    source, total, persons, organizations = PROVENANCE_COUNTS[relative]
    code, stdout, stderr = run("lists", "import", str(lists_dir / relative))
    assert code == 0, stderr
    entry = status(source)
    assert entry["entities"] == total
    if persons is not None:
        assert (entry["persons"], entry["organizations"]) == (persons, organizations)
    assert entry["version"] == 1 and len(entry["sha256"]) == 64
    assert set(entry) >= {
        "source",
        "version",
        "published",
        "entities",
        "persons",
        "organizations",
        "imported_at",
        "sha256",
    }


def test_import_whole_folder_and_show_ttp(lists_dir, cli_env):
    code, stdout, stderr = run("lists", "import", str(lists_dir))
    assert code == 0, stderr
    sources = {d["source"]: d for d in status()}
    assert set(sources) == {"un", "ofac-sdn", "ofac-cons", "uk-ofsi", "uk-fcdo", "us-csl"}
    assert sources["un"]["published"].startswith("2026-02-27")
    assert sources["uk-ofsi"]["published"] == "2025-04-14"

    code, stdout, _ = run("lists", "show", "QDe.132", "--source", "un")
    assert code == 0
    assert "TEHRIK-E TALIBAN PAKISTAN" in stdout
    assert "original-script" in stdout
    code, stdout, _ = run("lists", "show", "QDe.132", "--source", "un", "--json")
    [ttp] = json.loads(stdout)
    kinds = [n["kind"] for n in ttp["names"]]
    assert kinds.count("alias") + kinds.count("weak") + kinds.count("former") == 4
    assert kinds.count("original-script") >= 1
    assert ttp["listing"]["reference"] == "QDe.132"


def _independent_sdn_diff(old: Path, new: Path) -> tuple[int, int, int]:
    """Added / removed / amended ent_nums, computed straight from the CSV rows, not through ctscreen."""

    def rows(path: Path) -> dict[str, tuple[str, ...]]:
        text = path.read_text(encoding="latin-1").replace("\x1a", "")
        out = {}
        for row in csv.reader(text.splitlines()):
            if not row:
                continue
            fields = tuple("" if f.strip() == "-0-" else re.sub(r"\s+", " ", f).strip() for f in row)
            out[fields[0]] = fields
        return out

    a, b = rows(old), rows(new)
    return (
        len(b.keys() - a.keys()),
        len(a.keys() - b.keys()),
        sum(1 for k in a.keys() & b.keys() if a[k] != b[k]),
    )


def test_diff_ofac_2021_to_2024_matches_independent_count(lists_dir, cli_env, tmp_path):
    # Only the primary sdn.csv exists for 2024, so compare like with like: each sdn.csv alone.
    old_dir = tmp_path / "2021"
    old_dir.mkdir()
    shutil.copy(lists_dir / "ofac/legacy_csv_2021-07-07/sdn.csv", old_dir / "sdn.csv")
    new = lists_dir / "ofac/sdn_2024-05-03/sdn.csv"
    assert run("lists", "import", str(old_dir / "sdn.csv"))[0] == 0
    assert run("lists", "import", str(new))[0] == 0
    code, stdout, _ = run("lists", "diff", "ofac-sdn", "1", "2", "--json")
    assert code == 0
    diff = json.loads(stdout)
    added, removed, amended = _independent_sdn_diff(old_dir / "sdn.csv", new)
    assert diff["counts"] == {"added": added, "removed": removed, "amended": amended}
    assert added > 5000 and removed > 100 and amended > 100
    assert all(change["fields"] for change in diff["amended"])
    code, text, _ = run("lists", "diff", "ofac-sdn")
    assert code == 0 and f"{added} added" in text and f"{removed} removed" in text


# -- bad input: one-line error naming the file, non-zero exit, active version intact --------------------


def _bad_files(lists_dir: Path, tmp: Path) -> dict[str, Path]:
    un = (lists_dir / "un/consolidated.xml").read_bytes()
    sdn = (lists_dir / "ofac/sdn_2024-05-03/sdn.csv").read_bytes()
    files: dict[str, bytes] = {
        "truncated.xml": un[: len(un) // 2],
        "empty.xml": b"",
        "error-page.xml": b"<!DOCTYPE html><html><head><title>503</title></head><body>Service unavailable</body></html>",
        "xxe.xml": b'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&x;</FIRST_NAME>'
        b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        "bomb.xml": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
        + b"]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&j;</FIRST_NAME></INDIVIDUAL>"
        b"</INDIVIDUALS></CONSOLIDATED_LIST>",
        "wrong-root.xml": b'<?xml version="1.0"?><sdnList><publshInformation/></sdnList>',
        "latin1.xml": un.replace(
            b"TEHRIK-E TALIBAN PAKISTAN", "TEHRİK-É".encode("latin-1", "replace") + b"\xe9\xff"
        ),
    }
    lines = sdn.split(b"\r\n")
    lines[100] = b'306,"BANCO NACIONAL DE CUBA","-0- ","CUBA"'
    files["sdn.csv"] = b"\r\n".join(lines)
    paths = {}
    for name, data in files.items():
        path = tmp / name.replace("sdn.csv", "short-row/sdn.csv")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths[name] = path
    not_ofsi = tmp / "other.xlsx"
    with zipfile.ZipFile(not_ofsi, "w") as z:  # a valid zip that is not a workbook of the OFSI layout
        z.writestr("hello.txt", "not a spreadsheet")
    paths["other.xlsx"] = not_ofsi
    return paths


BAD_CASES = {
    "truncated.xml": ("un-xml", r"truncated\.xml:\d+: .*(malformed|truncated)"),
    "empty.xml": (None, r"empty\.xml: file is empty"),
    "error-page.xml": (None, r"error-page\.xml: an HTML page"),
    "xxe.xml": ("un-xml", r"xxe\.xml:\d+: .*DTD or entities"),
    "bomb.xml": ("un-xml", r"bomb\.xml:\d+: .*DTD or entities"),
    "wrong-root.xml": ("un-xml", r"wrong-root\.xml:\d+: root element is <sdnList>"),
    "latin1.xml": ("un-xml", r"latin1\.xml:\d+: "),
    "sdn.csv": (None, r"sdn\.csv:101: .*(column|field)"),
    "other.xlsx": ("uk-ofsi-xlsx", r"other\.xlsx: "),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_is_refused_and_active_version_kept(case, lists_dir, cli_env, tmp_path):
    assert run("lists", "import", str(lists_dir / "un/consolidated.xml"))[0] == 0
    before = status("un")
    bad = _bad_files(lists_dir, tmp_path)[case]
    fmt, pattern = BAD_CASES[case]
    args = ["lists", "import", str(bad)] + (["--format", fmt] if fmt else [])
    code, stdout, stderr = run(*args)
    assert code != 0
    message = stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert re.search(pattern, message.replace("\n", " ")), message
    assert "root:x:0:0" not in stdout + stderr  # nothing read from /etc/passwd
    after = status("un")
    assert (after["version"], after["sha256"], after["entities"]) == (
        before["version"],
        before["sha256"],
        1003,
    )
    assert [d["source"] for d in status()] == ["un"]


def test_console_script_runs_as_a_process(tmp_path, lists_dir):
    env = {"CTSCREEN_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    exe = Path(sys.executable).with_name("ctscreen")
    done = subprocess.run(
        [str(exe), "lists", "import", str(lists_dir / "un/consolidated.xml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "un v1" in done.stdout
    done = subprocess.run(
        [str(exe), "lists", "show", "NOPE.1"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "no entity with reference 'NOPE.1'" in done.stderr
    assert "Traceback" not in done.stderr
