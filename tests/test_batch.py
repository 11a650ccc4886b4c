"""Batch screening: readers (CSV, JSON lines, Parquet), malformed rows, files that are not tables, the
runner's output lines, order and parallel workers. Against the real UN list plus a small UK OFSI sample."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from pathlib import Path

import pytest

from ctscreen.batch import BatchInputError, BatchOutputError, detect_format, iter_rows, run_batch
from ctscreen.errors import CTScreenError
from ctscreen.matching import Screener
from ctscreen.sources import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BATCH = FIXTURES / "batch"
VERSIONS = {"un": 7, "uk-ofsi": 3}
HIT_KEYS = {"source", "ref", "entity_id", "schema", "name", "matched_name", "score", "alert", "explanation"}


@pytest.fixture(scope="module")
def screener(lists_dir: Path) -> Screener:
    entities = parse_file(lists_dir / "un" / "consolidated.xml").entities
    entities += parse_file(FIXTURES / "uk" / "ConList_sample.csv").entities
    return Screener.from_entities(entities, VERSIONS)


def batch_lines(screener: Screener, path: Path, **options: object) -> list[dict]:
    out = io.StringIO()
    run_batch(screener, path, out, progress=False, **{"workers": 1, **options})
    text = out.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def errors_by_id(lines: list[dict]) -> dict[object, str]:
    return {line["id"]: line["error"] for line in lines if "error" in line}


def write_parquet(source: Path, target: Path) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    columns = ["id", "name", "type", "dob", "country", "gender", "id_number"]
    table = pa.table({c: pa.array([r.get(c) for r in records], pa.string()) for c in columns})
    pq.write_table(table, target, row_group_size=3)  # several row groups: the reader crosses them
    return target


# -- formats and output ----------------------------------------------------------------------------------


def test_csv_jsonl_and_parquet_give_identical_output(screener: Screener, tmp_path: Path) -> None:
    parquet = write_parquet(BATCH / "people.jsonl", tmp_path / "people.parquet")
    outputs = {}
    for path in (BATCH / "people.csv", BATCH / "people.jsonl", parquet):
        target = tmp_path / f"{path.name}.out.jsonl"
        summary = run_batch(screener, path, target, workers=1, progress=False)
        assert (summary.rows, summary.screened, summary.errors) == (8, 8, 0)
        outputs[path.suffix] = target.read_bytes()
    assert outputs[".csv"] == outputs[".jsonl"] == outputs[".parquet"]
    assert len(outputs[".csv"].splitlines()) == 8


def test_output_lines_have_the_documented_keys(screener: Screener) -> None:
    lines = batch_lines(screener, BATCH / "people.csv")
    assert [line["id"] for line in lines] == [
        "c-001",
        "c-002",
        "c-003",
        "007",
        "c-005",
        "c-006",
        "c-007",
        "c-008",
    ]
    for line in lines:
        assert list(line) == ["id", "hits", "list_versions"]
        assert line["list_versions"] == VERSIONS
        for hit in line["hits"]:
            assert set(hit) == HIT_KEYS
        scores = [hit["score"] for hit in line["hits"]]
        assert scores == sorted(scores, reverse=True)


def test_output_is_compact_utf8_json_lines(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id,name\nü-1,Müller Straße GmbH\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    run_batch(screener, source, target, workers=1, progress=False)
    text = target.read_text(encoding="utf-8")
    assert text == '{"id":"ü-1","hits":[],"list_versions":{"un":7,"uk-ofsi":3}}\n'


def test_known_listed_name_gets_the_expected_top_hit(screener: Screener) -> None:
    lines = {line["id"]: line for line in batch_lines(screener, BATCH / "people.csv")}
    top = lines["c-001"]["hits"][0]
    assert (top["source"], top["ref"], top["name"]) == ("un", "QDi.263", "HAFIZ MUHAMMAD SAEED")
    assert top["alert"] is True
    assert lines["c-005"]["hits"][0]["ref"] == "QDi.263"  # "Saeed, Hafiz Muhammad"
    assert {(h["source"], h["ref"]) for h in lines["c-006"]["hits"][:2]} == {
        ("uk-ofsi", "12032"),
        ("un", "QDe.132"),
    }


def test_ids_are_kept_as_given(screener: Screener, tmp_path: Path) -> None:
    lines = batch_lines(screener, BATCH / "people.csv")
    assert lines[3]["id"] == "007"  # a string, leading zero kept
    jsonl = tmp_path / "ids.jsonl"
    jsonl.write_text(
        '{"id": 12, "name": "A B"}\n{"id": "0012", "name": "A B"}\n{"name": "A B"}\n', encoding="utf-8"
    )
    assert [line["id"] for line in batch_lines(screener, jsonl)] == [12, "0012", 3]


def test_without_an_id_column_the_line_number_is_the_id(screener: Screener) -> None:
    lines = batch_lines(screener, BATCH / "bom_no_id.csv")  # and a UTF-8 byte order mark
    assert [line["id"] for line in lines] == [2, 3]
    assert lines[0]["hits"][0]["ref"] == "QDi.263"


def test_delimiter_and_header_case_are_recognised(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("ID;Name;Country\nx1;Hafiz Muhammad Saeed;Pakistan\n", encoding="utf-8")
    [line] = batch_lines(screener, source)
    assert line["id"] == "x1" and line["hits"][0]["ref"] == "QDi.263"


def test_format_is_sniffed_without_an_extension(tmp_path: Path) -> None:
    (tmp_path / "a").write_text('{"name": "x"}\n', encoding="utf-8")
    (tmp_path / "b").write_text("name\nx\n", encoding="utf-8")
    assert detect_format(tmp_path / "a") == "jsonl"
    assert detect_format(tmp_path / "b") == "csv"
    parquet = write_parquet(BATCH / "people.jsonl", tmp_path / "c")
    assert detect_format(parquet) == "parquet"


# -- malformed rows --------------------------------------------------------------------------------------


def test_malformed_csv_rows_are_reported_by_line_and_the_rest_screened(screener: Screener) -> None:
    out = io.StringIO()
    summary = run_batch(screener, BATCH / "malformed.csv", out, workers=1, progress=False)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"]
    errors = errors_by_id(lines)
    assert errors == {
        "r2": "line 3: name: empty",
        "r3": errors["r3"],
        "r4": errors["r4"],
        "r5": "line 7: 6 fields, the header has 5",
        "r6": errors["r6"],
        "r7": "line 9: 2 fields, the header has 5",
    }
    assert errors["r3"].startswith("line 4: dob: ")  # line 5 is blank and skipped
    assert errors["r4"].startswith("line 6: type: 'spaceship'")
    assert errors["r6"].startswith("line 8: country: 'Narnia'")
    for line in lines:
        assert list(line) == (
            ["id", "hits", "error", "list_versions"] if "error" in line else ["id", "hits", "list_versions"]
        )
        if "error" in line:
            assert line["hits"] == []
    assert lines[0]["hits"][0]["ref"] == "QDi.263"
    assert lines[-1]["hits"][0]["alert"] is True
    assert (summary.rows, summary.screened, summary.errors, summary.alerts) == (8, 2, 6, 2)
    assert summary.error_samples[0] == "line 3: name: empty"


def test_malformed_json_lines_are_reported_by_line(screener: Screener) -> None:
    lines = batch_lines(screener, BATCH / "malformed.jsonl")
    assert [line["id"] for line in lines] == ["j1", 2, 3, "j4", "j5", "j6", "j7"]
    errors = errors_by_id(lines)
    assert errors[2].startswith("line 2: not valid JSON")
    assert errors[3] == "line 3: not a JSON object but a list"
    assert errors["j4"] == "line 4: name: missing"
    assert errors["j5"] == "line 5: name: expected text, got a list"
    assert errors["j6"].startswith("line 6: dob: ")
    assert "error" not in lines[0] and "error" not in lines[-1]
    assert lines[0]["hits"][0]["ref"] == "QDi.263"


def test_undecodable_bytes_in_one_csv_row(screener: Screener) -> None:
    lines = batch_lines(screener, BATCH / "latin1_row.csv")
    assert [line["id"] for line in lines] == ["u1", "u2", "u3"]
    assert errors_by_id(lines) == {"u2": "line 3: name: not UTF-8 text (byte 0xe9); save the file as UTF-8"}
    assert lines[0]["hits"][0]["ref"] == "QDi.263"
    assert lines[2]["hits"]


def test_undecodable_bytes_in_one_json_line(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    source.write_bytes(
        b'{"id": "a", "name": "Hafiz Muhammad Saeed"}\n{"id": "b", "name": "Jos\xe9"}\n{"id": "c", "name": "Z"}\n'
    )
    lines = batch_lines(screener, source)
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert errors_by_id(lines) == {"b": "line 2: not UTF-8 text (byte 0xe9 at column 25)"}


def test_undecodable_id_is_repaired_for_the_output(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_bytes(b"id,name\nk\xf6ln-1,Jane\n")
    [line] = batch_lines(screener, source)
    assert line["id"] == "k\ufffdln-1"
    assert line["error"] == "line 2: id: not UTF-8 text (byte 0xf6); save the file as UTF-8"


def test_a_lone_surrogate_in_a_json_id_does_not_break_the_output(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    source.write_text(
        '{"id": "x\\ud800", "name": "Jane Roe"}\n{"id": "y", "name": "Jane Roe"}\n', encoding="utf-8"
    )
    target = tmp_path / "out.jsonl"
    summary = run_batch(screener, source, target, workers=1, progress=False)
    assert summary.rows == 2
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == [
        "x\ud800",
        "y",
    ]


def test_an_unbalanced_quote_does_not_swallow_the_rows_after_it(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text(
        'id,name\nq1,"Hafiz Muhammad Saeed\nq2,Tehrik-e Taliban Pakistan\nq3,"Jane Roe\nq4,Maria Schmidt\n',
        encoding="utf-8",
    )
    lines = batch_lines(screener, source)
    assert [line["id"] for line in lines] == ["q1", "q2", "q3", "q4"]
    assert errors_by_id(lines) == {"q1": 'line 2: unbalanced quote (")', "q3": 'line 4: unbalanced quote (")'}
    assert lines[1]["hits"][0]["alert"] is True


def test_a_line_break_in_a_query_field_is_reported_line_by_line(screener: Screener, tmp_path: Path) -> None:
    # Indistinguishable from an unbalanced quote: every physical line is accounted for, none screened.
    source = tmp_path / "names.csv"
    source.write_text('id,name\nq5,"Multi\nline"\nq6,Jane Roe\n', encoding="utf-8")
    lines = batch_lines(screener, source)
    assert [line["id"] for line in lines] == ["q5", 'line"', "q6"]
    assert errors_by_id(lines) == {
        "q5": 'line 2: unbalanced quote (")',
        'line"': "line 3: 1 field, the header has 2",
    }


def test_a_quoted_multiline_field_outside_the_query_columns_is_fine(
    screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "names.csv"
    source.write_text(
        'id,name,address\na,Jane Roe,"1 Main St\nSpringfield"\nb,John Roe,x\n', encoding="utf-8"
    )
    lines = batch_lines(screener, source)
    assert [line["id"] for line in lines] == ["a", "b"]
    assert errors_by_id(lines) == {}


def test_parquet_rows_are_numbered_and_checked(screener: Screener, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "names.parquet"
    table = pa.table(
        {
            "Name": pa.array([b"Hafiz Muhammad Saeed", b"Jos\xe9", b"Jane Roe"], pa.binary()),
            "DOB": pa.array([None, None, "1980-13-01"], pa.string()),
        }
    )
    pq.write_table(table, source)
    lines = batch_lines(screener, source)
    assert [line["id"] for line in lines] == [1, 2, 3]
    assert lines[0]["hits"][0]["ref"] == "QDi.263"
    assert errors_by_id(lines)[2] == "row 2: name: not UTF-8 text (byte 0xe9)"
    assert errors_by_id(lines)[3].startswith("row 3: dob: ")


# -- files that are not tables ---------------------------------------------------------------------------


NOT_TABLES = {
    "junk.csv": random.Random(1).randbytes(4096),
    "junk": random.Random(2).randbytes(4096),
    "empty.csv": b"",
    "blank.jsonl": b"\n  \n",
    "no_name_column.csv": b"id,full name\n1,Jane Roe\n",
    "no_header.txt": b"Hafiz Muhammad Saeed\nJane Roe\n",
    "array.json": b'[{"name": "Jane Roe"}]\n',
    "names.csv.gz": gzip.compress(b"id,name\n1,Jane Roe\n"),
    "utf16.csv": "id,name\n1,Jane Roe\n".encode("utf-16"),
    "fake.parquet": b"id,name\n1,Jane Roe\n",
    "truncated.parquet": b"PAR1" + bytes(100),
}


@pytest.mark.parametrize("name", sorted(NOT_TABLES))
def test_a_file_that_is_not_a_table_is_refused_before_any_work(
    screener: Screener, tmp_path: Path, name: str
) -> None:
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow")
    source = tmp_path / name
    source.write_bytes(NOT_TABLES[name])
    target = tmp_path / "out.jsonl"
    with pytest.raises(BatchInputError) as caught:
        run_batch(screener, source, target, workers=2, progress=False)
    assert isinstance(caught.value, CTScreenError)
    assert str(caught.value).startswith(f"{source}: ")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary output left either


def test_clear_messages_for_files_that_are_not_tables(tmp_path: Path) -> None:
    def message(name: str, data: bytes) -> str:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(BatchInputError) as caught:
            iter_rows(tmp_path / name)  # raised by the call, not on the first row
        return caught.value.message

    assert (
        message("junk.csv", NOT_TABLES["junk.csv"]) == "binary data, not a CSV, JSON lines or Parquet table"
    )
    assert message("empty.csv", b"") == "file is empty"
    assert "'name' column" in message("no_name_column.csv", NOT_TABLES["no_name_column.csv"])
    assert "'full name'" in message("no_name_column.csv", NOT_TABLES["no_name_column.csv"])
    assert message("utf16.csv", NOT_TABLES["utf16.csv"]) == "UTF-16 text: save it as UTF-8"
    with pytest.raises(BatchInputError, match="no such file"):
        iter_rows(tmp_path / "missing.csv")


def test_a_header_only_csv_is_an_empty_batch(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id,name\n", encoding="utf-8")
    out = io.StringIO()
    summary = run_batch(screener, source, out, workers=2, progress=False)
    assert (summary.rows, summary.errors, out.getvalue()) == (0, 0, "")


def test_the_output_may_not_overwrite_the_input(screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "names.csv"
    source.write_text("id,name\n1,Jane Roe\n", encoding="utf-8")
    with pytest.raises(BatchOutputError, match="overwrite the input"):
        run_batch(screener, source, source, workers=1, progress=False)
    assert source.read_text(encoding="utf-8") == "id,name\n1,Jane Roe\n"


def test_an_output_that_cannot_be_written_is_refused(screener: Screener, tmp_path: Path) -> None:
    with pytest.raises(BatchOutputError, match="cannot write"):
        run_batch(
            screener, BATCH / "people.csv", tmp_path / "missing" / "out.jsonl", workers=2, progress=False
        )


def test_the_output_file_is_created_like_any_other(screener: Screener, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    run_batch(screener, BATCH / "people.csv", target, workers=1, progress=False)
    probe = tmp_path / "probe"
    probe.write_text("", encoding="utf-8")
    assert target.stat().st_mode == probe.stat().st_mode  # the umask's mode, not a temporary file's 0600
    assert len(target.read_text(encoding="utf-8").splitlines()) == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "probe"]


# -- order and workers -----------------------------------------------------------------------------------


def test_order_is_kept_with_two_workers(screener: Screener, tmp_path: Path) -> None:
    listed = ["Hafiz Muhammad Saeed", "Tehrik-e Taliban Pakistan", "LASHKAR E TAYYIBA", "Iyad Ag Ghali"]
    other = ["Jane Roe", "Maria Schmidt", "Nordwind Logistik GmbH", "Chen Wei", "Ahmed Khan"]
    rnd = random.Random(5)
    rows = ["id,name,dob"]
    for number in range(240):
        name = rnd.choice(listed if number % 3 == 0 else other)
        dob = "1980-13-01" if number % 37 == 0 else ""  # some malformed rows among them
        rows.append(f"n{number:04d},{name},{dob}")
    source = tmp_path / "names.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = run_batch(screener, source, one, workers=1, progress=False)
    second = run_batch(screener, source, two, workers=2, progress=False, chunk_size=7)
    assert one.read_bytes() == two.read_bytes()
    ids = [json.loads(line)["id"] for line in two.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"n{number:04d}" for number in range(240)]
    assert (second.rows, second.screened, second.errors, second.alerts) == (
        first.rows,
        first.screened,
        first.errors,
        first.alerts,
    )
    assert second.errors == 7 and second.alerts > 0


def test_a_worker_that_dies_stops_the_run_instead_of_hanging(
    screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctscreen.batch import runner

    screen_rows = runner.screen_rows

    def dying(screener: Screener, profile: object, rows: list) -> object:
        if any(row.id == "n0050" for row in rows):
            os._exit(9)  # as a worker killed by the kernel for memory
        return screen_rows(screener, profile, rows)

    monkeypatch.setattr(runner, "screen_rows", dying)  # the forked workers inherit it
    source = tmp_path / "names.csv"
    source.write_text("id,name\n" + "".join(f"n{i:04d},Jane Roe\n" for i in range(100)), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    with pytest.raises(CTScreenError, match="ended abruptly"):
        run_batch(screener, source, target, workers=2, progress=False, chunk_size=10)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["names.csv"]


def test_rows_stream_lazily(tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    source.write_text('{"name": "Jane Roe"}\n' * 10, encoding="utf-8")
    rows = iter_rows(source)
    first = next(rows)
    assert (first.line, first.id, first.name) == (1, 1, "Jane Roe")
    assert sum(1 for _ in rows) == 9
