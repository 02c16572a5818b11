"""The YAML reader: libyaml and the pure-Python fallback agree on data and lines; hostile graphs are refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.errors import ValidationError
from assess.yamlfile import FastLoader, MarkedDict, MarkedList, PureLoader, dump_yaml, parse_text

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(p for d in ("questionnaires", "examples", "tests/data/valid") for p in (ROOT / d).rglob("*.yaml"))


def _marks(data):
    """Data together with every line mark, as plain comparable values."""
    if isinstance(data, MarkedDict):
        return ("map", data.line, [(k, data.key_lines.get(k), _marks(v)) for k, v in data.items()])
    if isinstance(data, MarkedList):
        return ("seq", data.line, list(data.item_lines), [_marks(v) for v in data])
    return (type(data).__name__, data)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_pure_loader_give_the_same_data_and_lines(path):
    text = path.read_text(encoding="utf-8")
    assert _marks(parse_text(text, str(path), FastLoader)) == _marks(parse_text(text, str(path), PureLoader))


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_an_alias_that_repeats_one_long_text_is_refused_by_size(loader):
    # Few values, but a 100 KB text referenced 500 times would expand to 50 MB.
    text = "a: &big " + "x" * 100_000 + "\nb: [" + ", ".join(["*big"] * 500) + "]\n"
    with pytest.raises(ValidationError) as caught:
        parse_text(text, "f.yaml", loader)
    problem = caught.value.problems[0]
    assert problem.line == 2 and "aliases" in problem.message.en


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_nested_aliases_are_refused_before_they_are_built(loader):
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(ValidationError) as caught:
        parse_text("\n".join(lines) + "\n", "f.yaml", loader)
    assert "aliases" in caught.value.problems[0].message.en


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_shared_anchors_within_limits_are_read(loader):
    data = parse_text("a: &x {k: 1}\nb: *x\nc: [*x, *x]\n", "f.yaml", loader)
    assert data["b"] == {"k": 1} and data["c"] == [{"k": 1}, {"k": 1}]


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_deep_nesting_is_refused_with_the_limit(loader):
    with pytest.raises(ValidationError) as caught:
        parse_text("a: " + "[" * 60 + "]" * 60 + "\n", "f.yaml", loader)
    assert "nested more than 50 levels" in caught.value.problems[0].message.en


# Answer-like JSON; load-vectors.json holds deliberately odd JSON texts inside strings, where YAML 1.1 differs.
JSON_FILES = sorted(p for d in ("examples", "tests/data") for p in (ROOT / d).rglob("*.json") if p.name != "load-vectors.json")


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_json_is_read_as_strict_json_with_the_same_data_and_lines_as_yaml_gives(path):
    from assess.yamlfile import _JSONReader, _parse_yaml

    text = path.read_text(encoding="utf-8")
    # YAML 1.1 reads 1e5 as text, JSON (and the answer check) as the number: compare both as text
    text = re.sub(r"(?<=[\s:\[,])(-?\d+(\.\d+)?[eE][-+]?\d+)", r'"\1"', text)
    assert _marks(_JSONReader(text, str(path)).read()) == _marks(_parse_yaml(text, str(path), FastLoader))


def test_json_that_yaml_cannot_read_is_read_with_its_lines():
    long_key = "N" * 5_000
    data = parse_text('{\n  "a": "x\u2028y",\n  "' + long_key + '": [1,\n 2.5e3, true, null]\n}', "x.json")
    assert data["a"] == "x\u2028y" and data[long_key] == [1, 2500.0, True, None]
    assert data.key_lines == {"a": 2, long_key: 3} and data[long_key].item_lines == [3, 4, 4, 4]


def test_json_duplicates_depth_and_size_are_refused_with_lines():
    with pytest.raises(ValidationError) as caught:
        parse_text('{"a": 1,\n "a": 2}', "x.json")
    assert caught.value.problems[0].line == 2 and "duplicate key 'a'" in caught.value.problems[0].message.en
    with pytest.raises(ValidationError) as caught:
        parse_text("[" * 60 + "]" * 60, "x.json")
    assert "nested more than 50 levels" in caught.value.problems[0].message.en


def test_what_is_no_strict_json_is_read_as_yaml():
    assert parse_text("{a: 1, b: [x, y]}", "x.yaml") == {"a": 1, "b": ["x", "y"]}
    with pytest.raises(ValidationError) as caught:
        parse_text('{"a": 1,\n "b": [1, 2}', "x.json")
    assert caught.value.problems[0].line == 2 and "malformed YAML" in caught.value.problems[0].message.en


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40)
_PLAIN = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
                      max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_TEXT, _PLAIN, max_size=5))
def test_both_dumpers_write_what_reads_back_equal(data):
    # libyaml and PyYAML differ in details of style (e.g. how an empty key is written), never in content
    assert parse_text(dump_yaml(data), "x.yaml") == data
    assert parse_text(dump_yaml(data, yaml.SafeDumper), "x.yaml") == data


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_the_event_builder_gives_what_pyyaml_constructs(loader):
    # parse_text builds data straight from the parser's events (PyYAML's node graph only for anchors,
    # tags and merge keys); PyYAML's constructors must agree on every value and line.
    texts = [p.read_text(encoding="utf-8") for p in YAML_FILES[:40]]
    texts += ["a: &x {k: 1, d: 2026-01-02, n: 1.5, b: yes}\nb: *x\nc: [*x, !!str 12, ~, 0x1f]\n<<: {m: 1}\n",
              "- [1, '2', \"drei\", null, 1e3, .inf, 2026-01-02 10:00:00]\n- x: |\n    Zeile 1\n    Zeile 2\n  y: >\n    z\n",
              "x: ! 12\ny: !!str 13\nz: !!map {a: 1}\n", "---\n", "# nur ein Kommentar\n", "einfach ein Text\n",
              "a:\n  - b: [c, {d: e}]\n    f: g\n  - - h\n    - i\n"]
    for text in texts:
        two = loader(text)
        try:
            node = two.get_single_node()
            expected = two.construct_document(node) if node is not None else None
        finally:
            two.dispose()
        assert _marks(parse_text(text, "x.yaml", loader)) == _marks(expected), text[:80]
