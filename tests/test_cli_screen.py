"""`ctscreen screen` end to end: lists imported through the CLI, the index cached, JSON shape."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ctscreen.cli import app

runner = CliRunner()


def test_screen_json_shape_and_index_cache(lists_dir, cli_env, tmp_path):
    assert runner.invoke(app, ["lists", "import", str(lists_dir / "un/consolidated.xml")]).exit_code == 0
    result = runner.invoke(app, ["screen", "Tehreek-e-Taliban Pakistan", "--type", "organization", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["list_versions"] == {"un": 1}
    assert data["profile"] == "kyc" and data["alert"] is True
    top = data["hits"][0]
    assert (top["source"], top["ref"], top["name"]) == ("un", "QDe.132", "TEHRIK-E TALIBAN PAKISTAN (TTP)")
    assert set(top) >= {"source", "ref", "entity_id", "name", "matched_name", "score", "alert", "explanation"}
    assert [h["score"] for h in data["hits"]] == sorted((h["score"] for h in data["hits"]), reverse=True)
    cached = list((tmp_path / "home" / "index").glob("index-*.pickle"))
    assert len(cached) == 1
    # A new list version gets a new index: the stale one is not used.
    runner.invoke(app, ["lists", "import", str(lists_dir / "ofac/consolidated_non_sdn/cons_prim.csv")])
    again = json.loads(runner.invoke(app, ["screen", "Tehreek-e-Taliban Pakistan", "--json"]).stdout)
    assert again["list_versions"] == {"ofac-cons": 1, "un": 1}
    assert list((tmp_path / "home" / "index").glob("index-*.pickle")) != cached


def test_screen_text_output_and_errors(lists_dir, cli_env):
    runner.invoke(app, ["lists", "import", str(lists_dir / "un/consolidated.xml")])
    result = runner.invoke(app, ["screen", "Hafiz Muhammad Saeed", "--dob", "1950-06-05"])
    assert result.exit_code == 0 and "QDi.263" in result.stdout and "ALERT" in result.stdout
    bad = runner.invoke(app, ["screen", "Ali", "--type", "spaceship"])
    assert bad.exit_code == 2 and "type:" in bad.stderr
    bad = runner.invoke(app, ["screen", "Ali", "--dob", "31/31/1990"])
    assert bad.exit_code == 2 and "dob:" in bad.stderr


def test_screen_without_lists_says_so(cli_env):
    result = runner.invoke(app, ["screen", "Ali"])
    assert result.exit_code == 1 and "no lists imported" in result.stderr


def test_batch_command_writes_one_line_per_row(lists_dir, cli_env, tmp_path):
    runner.invoke(app, ["lists", "import", str(lists_dir / "un/consolidated.xml")])
    names = tmp_path / "names.csv"
    names.write_text(
        "id,name,dob\nc1,Hafiz Muhammad Saeed,1950-06-05\nc2,,\nc3,Jane Doe,\n", encoding="utf-8"
    )
    out = tmp_path / "hits.jsonl"
    result = runner.invoke(app, ["batch", str(names), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1  # one malformed row is reported, the others screened
    assert "3 rows, 2 screened" in result.stderr and "line 3" in result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["c1", "c2", "c3"]
    assert lines[0]["hits"][0]["ref"] == "QDi.263" and lines[0]["hits"][0]["alert"]
    assert "error" in lines[1] and lines[2]["hits"] == [] or not any(h["alert"] for h in lines[2]["hits"])
    assert lines[0]["list_versions"] == {"un": 1}
