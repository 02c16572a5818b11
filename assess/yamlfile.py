"""Safe YAML/JSON reading that keeps line numbers, and a collector for located problems."""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import stat
from pathlib import Path

import yaml

from assess import texts
from assess.errors import Problem, ValidationError, message
from assess import limits
from assess.limits import MAX_DEPTH, MAX_EXPANDED_CHARS, MAX_FILE_BYTES, MAX_NODES, megabytes
from assess.model import Text


class MarkedDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        """The line of `key`, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class MarkedList(list):
    """A sequence that remembers its own line and each item's line."""

    line = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item `index`."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line




class _Refused(Exception):
    """YAML that assess refuses with its own message: aliases, extreme nesting, unbuildable values."""

    def __init__(self, text: Text, line: int | None):
        super().__init__(text.en)
        self.text = text
        self.line = line


_SCALAR_TAGS: dict[str, str] = {}  # plain scalar text → its resolved tag (the safe rules, for loaders and dumpers)


class _CachedResolve:
    """A plain scalar's tag depends on its text alone, so it is looked up once per text: option and
    question ids repeat in every answer file, and a dumper asks twice per value whether it can be
    written without quotes."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = _SCALAR_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(_SCALAR_TAGS) < 50_000:
                    _SCALAR_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


class _Marked(_CachedResolve):
    """A safe loader (libyaml's parser where installed) that builds MarkedDict/MarkedList and records
    duplicate keys.

    The node graph is composed first and checked before anything is built: nesting depth, and what
    anchors and aliases (&a, *a) expand to, counted in values and in characters — nested aliases could
    otherwise turn a few hundred bytes into gigabytes ("billion laughs").
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, object]] = []

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError) as exc:
            # PyYAML's constructors raise these for values they cannot build, e.g. `!!int "abc"`,
            # `!!timestamp "abc"` (AttributeError) or `!!float ""` (IndexError).
            detail = _short(str(exc))
            raise _Refused(Text(f"ein Wert ist nicht lesbar: {detail}; entfernen Sie Angaben wie !!int und prüfen Sie "
                                "Zahlen und Datumsangaben",
                                f"a value cannot be read: {detail}; remove explicit tags such as !!int and check numbers "
                                "and dates"), node.start_mark.line + 1) from None

    def construct_yaml_timestamp(self, node):
        """A date YAML cannot build (2026-02-30) stays text, so the field check can explain it."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):  # AttributeError: `!!timestamp` on text that is no date at all
            return self.construct_scalar(node)


def _check_graph(root) -> None:
    """Refuse a node graph that is nested too deeply or expands to too much through aliases.

    Each node's expanded size (values and characters) is computed once, so shared nodes (aliases)
    cost nothing extra to check; a node that contains itself is refused as well."""
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    # Iterative post-order walk: (node, depth, children done?)
    stack = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            values, chars = 1, 0
            for child in _children(node):
                child_values, child_chars = sizes[id(child)]
                values += child_values
                chars += child_chars
            sizes[key] = (values, chars)
            if len(sizes) > MAX_NODES:  # too many values written out: no alias needed for that
                raise _Refused(_too_many_values(), node.start_mark.line + 1)
            if values > MAX_NODES:
                raise _Refused(texts.both("limits.aliases_expand", limit=_count("limits.values", MAX_NODES)),
                               node.start_mark.line + 1)
            if chars > MAX_EXPANDED_CHARS:
                raise _Refused(texts.both("limits.aliases_expand", limit=_count("limits.chars", MAX_EXPANDED_CHARS)),
                               node.start_mark.line + 1)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise _Refused(Text("ein Verweis (*name) enthält sich selbst; schreiben Sie die Werte aus",
                                "an alias (*name) contains itself; write the values out instead"),
                           node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise _Refused(_too_deep(), node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = (1, len(node.value))
            continue
        open_nodes.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _check_depth(root) -> None:
    """Refuse a tree nested more than MAX_DEPTH levels deep or holding more than MAX_NODES values (iteratively)."""
    level = [root]
    depth = values = 1
    while level:
        if depth > MAX_DEPTH:
            raise _Refused(_too_deep(), level[0].start_mark.line + 1)
        level = [child for node in level if not isinstance(node, yaml.ScalarNode) for child in _children(node)]
        values += len(level)
        if values > MAX_NODES:
            raise _Refused(_too_many_values(), level[0].start_mark.line + 1)
        depth += 1


COUNT_FIRST_FROM = 1_000_000  # characters; a smaller file that needs the node graph is composed at once


def _count_values(loader_class: type, text: str) -> None:
    """Refuse a large text holding more than MAX_NODES values while only its events are read: composing
    a million nodes first would take far longer than counting to the limit."""
    loader = loader_class(text)
    try:
        values = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _VALUE_EVENTS):
                values += 1
                if values > MAX_NODES:
                    raise _Refused(_too_many_values(), event.start_mark.line + 1)
    finally:
        loader.dispose()


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _too_many_values() -> Text:
    return texts.both("limits.too_many_values", limit=limits.count(MAX_NODES))


def _count(key: str, n: int) -> Text:
    return texts.both(key, count=limits.count(n))


def _too_deep() -> Text:
    return Text(f"mehr als {MAX_DEPTH} Ebenen tief verschachtelt", f"nested more than {MAX_DEPTH} levels deep")


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return ()


def _fill_map(data: MarkedDict, loader, node, build) -> MarkedDict:
    """Fill `data` from a mapping node with `build` for each key and value, keeping every key's line;
    a repeated key is noted for the duplicate-key message, a key that is a list or mapping refused."""
    data.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = build(key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark
            ) from None
        if key in data:
            loader.duplicates.append((key_node.start_mark.line + 1, key))
        data[key] = build(value_node)
        data.key_lines[key] = key_node.start_mark.line + 1
    return data


def _fill_seq(data: MarkedList, node, build) -> MarkedList:
    """Fill `data` from a sequence node with `build` for each item, keeping every item's line."""
    data.line = node.start_mark.line + 1
    for child in node.value:
        data.append(build(child))
        data.item_lines.append(child.start_mark.line + 1)
    return data


def _construct_map(loader, node):
    data = MarkedDict()
    yield data
    loader.flatten_mapping(node)
    _fill_map(data, loader, node, lambda child: loader.construct_object(child, deep=True))


def _construct_seq(loader, node):
    data = MarkedList()
    yield data
    _fill_seq(data, node, lambda child: loader.construct_object(child, deep=True))


class PureLoader(_Marked, yaml.SafeLoader):
    """The marked loader on PyYAML's pure-Python parser: the fallback where libyaml is missing."""


class FastLoader(_Marked, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The marked loader on libyaml's parser (about seven times faster); same results as PureLoader."""


# Tags that build values no assess file holds (ordered maps, pairs, sets, bytes): refused by name, so
# that a reader expecting a list or mapping never meets a list of tuples, a set or bytes.
UNSUPPORTED_TAGS = ("omap", "pairs", "set", "binary")


def _unsupported(loader, node):
    """Refuse a tag by name: one of UNSUPPORTED_TAGS, or any unknown one (!!python/object:…, !custom)."""
    prefix = "tag:yaml.org,2002:"
    tag = shown("!!" + node.tag[len(prefix):] if node.tag.startswith(prefix) else node.tag, 60)
    raise _Refused(texts.both("input.tag_unsupported", tag=tag), node.start_mark.line + 1)


def _construct_int(loader, node):
    """An integer in any notation (0x…, 0o…, 0b…, 1:30); thousands of digits are refused as in JSON
    (Python could not even print such a number in a message)."""
    if len(node.value) > 4000:
        raise _Refused(texts.both("input.number_too_long"), node.start_mark.line + 1)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


for _loader in (PureLoader, FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _Marked.construct_yaml_timestamp)
    for _tag in UNSUPPORTED_TAGS:
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported)
    _loader.add_constructor(None, _unsupported)  # every tag without a constructor


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class _NeedsNodes(Exception):
    """The document holds what only PyYAML's node graph handles: anchors and aliases, explicit tags,
    merge keys, several documents."""


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _from_events(loader):
    """The data of a document built straight from the parser's events, without composing a node graph
    first (a third less time for an answer file): text, numbers, dates, mappings and lists, every
    line kept, duplicate keys noted, nesting and size bounded as for a node graph. What needs the node
    graph raises _NeedsNodes before anything is returned."""
    get = loader.get_event
    get()  # the stream's start
    if not isinstance(get(), yaml.DocumentStartEvent):
        return None  # an empty file
    stack: list[list] = []  # per open mapping or list: [container, key (or _NO_KEY), key's line]
    values = 0
    tags = _SCALAR_TAGS
    while True:
        event = get()
        kind = type(event)
        if kind in _ENDS:
            value = stack.pop()[0]
            line = value.line
        else:
            if kind is yaml.DocumentEndEvent:
                break
            if event.anchor is not None or kind is yaml.AliasEvent:
                raise _NeedsNodes
            values += 1
            line = event.start_mark.line + 1
            if len(stack) >= MAX_DEPTH:
                raise _Refused(_too_deep(), line)
            if values > MAX_NODES:
                raise _Refused(_too_many_values(), line)
            if kind is _SCALAR:
                value = event.value
                if event.implicit[0]:  # plain text: its tag by YAML's rules, known for most texts already
                    if tags.get(value) != _STR:
                        value = _typed(loader, event)
                elif event.tag is not None and event.tag != "!" and not event.implicit[1]:
                    raise _NeedsNodes  # an explicit tag (!!int, !custom)
            else:
                if event.tag is not None and not event.implicit:
                    raise _NeedsNodes
                container = MarkedDict() if kind is _MAP_START else MarkedList()
                container.line = line
                stack.append([container, _NO_KEY, 0])
                continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is MarkedList:
            container.append(value)
            container.item_lines.append(line)
        elif top[1] is _NO_KEY:
            try:
                hash(value)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", event.start_mark) from None
            top[1], top[2] = value, line
        else:
            key = top[1]
            if key in container:
                loader.duplicates.append((top[2], key))
            container[key] = value
            container.key_lines[key] = top[2]
            top[1] = _NO_KEY
    if not isinstance(get(), yaml.StreamEndEvent):
        raise _NeedsNodes  # a second document: the node path names the error
    return root


_NO_KEY = object()


def _typed(loader, event):
    """A plain scalar's value by YAML's rules: text, true, 12, 1.5, 2026-01-02, null."""
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag == _MERGE:
        raise _NeedsNodes
    return loader.construct_object(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark))


def parse_text(text: str, path: str, loader_class: type = FastLoader):
    """Parse YAML or JSON into marked data; raise ValidationError on syntax errors.

    A text that opens with { or [ is read as JSON first: YAML reads most JSON too, but not all of it
    (a key over 1,024 characters, a raw U+2028 in a string), and assess must read whatever it writes.
    What is no strict JSON is read as YAML, with YAML's messages."""
    if text.lstrip(" \t\r\n")[:1] in ("{", "["):
        try:
            return _JSONReader(text, path).read()
        except _NotJSON:
            pass
    data = _parse_yaml(text, path, loader_class)
    if _ESCAPED_SURROGATE.search(text):
        _refuse_surrogates(data, path)
    return data


def _parse_yaml(text: str, path: str, loader_class: type):
    loader = None
    try:
        # The loader checks for control characters (a binary file) already while it is built.
        loader = loader_class(text)
        try:
            data = _from_events(loader)  # counts values and depth as it goes
        except _NeedsNodes:  # anchors, tags, merge keys: read once more, through PyYAML's node graph
            loader.dispose()
            if len(text) > COUNT_FIRST_FROM:  # a graph of a million nodes would take long to compose
                _count_values(loader_class, text)
            loader = loader_class(text)
            node = loader.get_single_node()
            if node is None:
                return None
            if "&" in text:  # anchors: what aliases expand to must be counted
                _check_graph(node)
            else:  # a plain tree, no larger than the text: only its depth needs a look
                _check_depth(node)
            data = loader.construct_document(node)
    except _Refused as exc:
        raise ValidationError([Problem(path, exc.line, exc.text)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        if "nesting depth" in what:  # libyaml's own limit, far above MAX_DEPTH
            raise ValidationError([Problem(path, line, _too_deep())]) from None
        raise ValidationError([Problem(path, line, Text(
            f"fehlerhaftes YAML ({what}); prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile.",
            f"malformed YAML: {what}. Check indentation, colons and quotes on this line."))]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise ValidationError([Problem(path, line, Text(
            f"keine Textdatei: sie enthält das Steuerzeichen {code}; speichern Sie sie als reinen UTF-8-Text",
            f"not a text file: it contains the control character {code}; save it as plain UTF-8 text"))]) from None
    except yaml.YAMLError as exc:
        raise ValidationError([Problem(path, None, Text(f"fehlerhaftes YAML: {exc}", f"malformed YAML: {exc}"))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.duplicates:
        raise ValidationError([Problem(path, line, _duplicate(key)) for line, key in loader.duplicates])
    return data


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value, limit: int = 60) -> str:
    """A value for an error message, shortened so a huge value cannot flood the output."""
    return _short(str(value), limit)


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file; a missing, unreadable or oversized file is a located problem.

    Only regular files are read (a pipe in a client's folder would wait for ever), and at most
    MAX_FILE_BYTES of them."""
    try:
        with open(path, "rb", opener=_open_no_wait) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ValidationError([Problem(str(path), None, texts.both("input.not_a_file"))])
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), None, Text("Datei nicht gefunden", "file not found"))]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(str(path), None, texts.both("input.not_a_file"))]) from None
    except OSError as exc:
        raise ValidationError([Problem(str(path), None, Text(f"die Datei ist nicht lesbar: {exc.strerror}",
                                                             f"cannot read file: {exc.strerror}"))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ValidationError([Problem(str(path), None, texts.both("limits.file_too_big", limit=megabytes(MAX_FILE_BYTES)))])
    return raw


def _open_no_wait(path, flags):
    """Open without waiting for a writer when the path is a pipe (FIFO); regular files are unaffected."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_file(path: Path):
    """Read a YAML or JSON file safely into marked data."""
    return parse_bytes(read_bytes(path), str(path))


def parse_bytes(raw: bytes, path: str):
    """Decode UTF-8 (with or without BOM) and parse YAML/JSON into marked data."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            [Problem(str(path), line, Text(f"kein UTF-8-Text (Byte {exc.start}); speichern Sie die Datei als UTF-8",
                                           f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"))]
        ) from None
    return parse_text(text, path)


# libyaml's emitter writes the same text as PyYAML's pure-Python one, five to six times faster (a merged
# answer file of 50 respondents: 0.6 instead of 3.5 s); the pure one remains where libyaml is missing.
FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data, dumper: type = FastDumper) -> str:
    """Serialise plain data as readable block YAML (unicode kept, key order kept)."""
    return yaml.dump(_plain(data), Dumper=_quoting(dumper), allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=100)


def dump_json(data) -> str:
    """Serialise plain data as indented JSON; characters a YAML reader takes for line breaks or refuses
    raw (U+2028, U+2029, NEL, C1 controls, U+FFFE/U+FFFF) are written as \\u escapes."""
    return _JSON_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(_plain(data), ensure_ascii=False, indent=2))


# Characters YAML reads as line breaks (NEL, U+2028, U+2029) or refuses in a file (C1 controls, DEL,
# U+FFFE, U+FFFF, lone surrogates); a BOM inside a text would be taken for the file's own.
_AWKWARD = "\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff"
_JSON_ESCAPE = re.compile(f"[{_AWKWARD}]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Representing:
    """Builds the node tree of plain data directly: texts, mappings and lists (nearly every node of an
    answer file) without PyYAML's generic representer, which looks up a representer per value and
    checks each list and mapping for aliases (`_plain` has copied every one already); numbers, booleans,
    dates and None go through it as before. The text is the same.

    A text holding a line-break-like or refused character is written double-quoted, where both
    emitters escape it (plain or single-quoted, NEL became a space on reading)."""

    def represent_data(self, data):
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR, data, style='"' if _JSON_ESCAPE.search(data) else None)
        if kind is dict:
            return yaml.MappingNode(_MAP, [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()],
                                    flow_style=self.default_flow_style)
        if kind is list:
            return yaml.SequenceNode(_SEQ, [self.represent_data(v) for v in data], flow_style=self.default_flow_style)
        return super().represent_data(data)


_QUOTING: dict[type, type] = {}


def _quoting(dumper: type) -> type:
    """`dumper` with the direct representer (made once per dumper class)."""
    if dumper not in _QUOTING:
        _QUOTING[dumper] = type(f"Quoting{dumper.__name__}", (_Representing, _CachedResolve, dumper), {})
    return _QUOTING[dumper]


# --- strict JSON with line marks ------------------------------------------------------------------

class _NotJSON(Exception):
    """The text is no strict JSON: read it as YAML instead."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")


class _JSONReader:
    """Reads strict JSON into MarkedDict/MarkedList with the line of every key and item, and the same
    limits as YAML: nesting depth, number of values, duplicate keys; no lone surrogates."""

    def __init__(self, text: str, path: str):
        self.text, self.path = text, path
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.values = 0
        self.duplicates: list[tuple[int, object]] = []

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.breaks, pos) + 1

    def read(self):
        value, end = self.value(self.skip(0), 1)
        if self.skip(end) != len(self.text):
            raise _NotJSON
        if self.duplicates:
            raise ValidationError([Problem(self.path, line, _duplicate(key)) for line, key in self.duplicates])
        return value

    def skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()

    def refuse(self, message: Text, pos: int):
        raise ValidationError([Problem(self.path, self.line(pos), message)])

    def value(self, pos: int, depth: int):
        if depth > MAX_DEPTH:
            self.refuse(_too_deep(), pos)
        self.values += 1
        if self.values > MAX_NODES:
            self.refuse(_too_many_values(), pos)
        text = self.text
        char = text[pos:pos + 1]
        if char == "{":
            return self.mapping(pos, depth)
        if char == "[":
            return self.sequence(pos, depth)
        if char == '"':
            return self.string(pos)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return value, pos + len(word)
        number = _NUMBER.match(text, pos)
        if number is None or number.end() == pos:
            raise _NotJSON
        if number.group(1) or number.group(2):
            return float(number.group()), number.end()
        try:
            return int(number.group()), number.end()
        except ValueError:  # more digits than Python turns into a number
            self.refuse(texts.both("input.number_too_long"), pos)

    def string(self, pos: int):
        try:
            value, end = json.decoder.scanstring(self.text, pos + 1, True)
        except ValueError:
            raise _NotJSON from None
        if _LONE_SURROGATE.search(value):
            self.refuse(_surrogate(), pos)
        return value, end

    def mapping(self, pos: int, depth: int):
        data = MarkedDict()
        data.line = self.line(pos)
        pos = self.skip(pos + 1)
        if self.text.startswith("}", pos):
            return data, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise _NotJSON
            line = self.line(pos)
            key, pos = self.string(pos)
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise _NotJSON
            value, pos = self.value(self.skip(pos + 1), depth + 1)
            if key in data:
                self.duplicates.append((line, key))
            data[key] = value
            data.key_lines[key] = line
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
            elif self.text.startswith("}", pos):
                return data, pos + 1
            else:
                raise _NotJSON

    def sequence(self, pos: int, depth: int):
        data = MarkedList()
        data.line = self.line(pos)
        pos = self.skip(pos + 1)
        if self.text.startswith("]", pos):
            return data, pos + 1
        while True:
            data.item_lines.append(self.line(pos))
            value, pos = self.value(pos, depth + 1)
            data.append(value)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
            elif self.text.startswith("]", pos):
                return data, pos + 1
            else:
                raise _NotJSON


def _duplicate(key) -> Text:
    return Text(f"doppelter Schlüssel „{shown(key)}“: jeder Schlüssel darf in einer Zuordnung nur einmal vorkommen; "
                f"entfernen oder benennen Sie einen um",
                f"duplicate key '{shown(key)}': each key may appear only once in a mapping; remove or rename one")


def _surrogate() -> Text:
    return texts.both("input.lone_surrogate")


def _refuse_surrogates(data, path: str) -> None:
    """Refuse escaped lone surrogates ("\\ud800") in YAML: no file can hold them as UTF-8, so an answer
    holding one could never be saved. Only looked for when the text has such an escape."""
    stack = [(data, 1)]
    while stack:
        item, line = stack.pop()
        if isinstance(item, dict):
            stack += [(k, item.line_of(k)) for k in item] + [(v, item.line_of(k)) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(v, item.line_of(i)) for i, v in enumerate(item)]
        elif isinstance(item, str) and _LONE_SURROGATE.search(item):
            raise ValidationError([Problem(path, line, _surrogate())])


def _plain(data):
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    return data


TYPE_NAMES = {
    str: Text("Text", "text"),
    int: Text("ganze Zahl", "whole number"),
    float: Text("Zahl", "number"),
    bool: Text("ja/nein (true/false)", "yes/no (true/false)"),
    dict: Text("Zuordnung", "mapping"),
    list: Text("Liste", "list"),
}


def type_name(value) -> Text:
    """A user-facing name of a value's type, in both languages."""
    if value is None:
        return Text("leer", "empty")
    for kind, name in TYPE_NAMES.items():
        if type(value) is kind or (kind in (dict, list) and isinstance(value, kind)):
            return name
    return Text(type(value).__name__, type(value).__name__)


class Checker:
    """Collects located problems while a loader walks a file; raises them all at the end."""

    languages: tuple[str, ...] = ("de", "en")  # the languages a bundle's texts must give

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int | None, message: str | Text) -> None:
        """Record an error."""
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int | None, message: str | Text) -> None:
        """Record a warning (does not fail validation)."""
        self.problems.append(Problem(self.path, line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if not p.warning]

    def raise_if_errors(self) -> None:
        """Raise ValidationError with every problem if any is an error."""
        if self.errors:
            raise ValidationError(sorted(self.problems, key=lambda p: (p.line or 0)))

    # --- typed field access ------------------------------------------------------------------
    # `what` names the thing checked, as Text: German without article ("Frage „q_a“"), as it
    # opens the German message ("Frage „q_a“: das Pflichtfeld „text“ fehlt"); English as it fits
    # into the English sentence ("question 'q_a' is missing the required field 'text'").

    @staticmethod
    def _say(what: Text, de: str, en: str, **values) -> Text:
        return message(de, en, what=what, **values)

    def mapping(self, value, line: int, what: Text) -> MarkedDict | None:
        """`value` if it is a mapping, else record an error."""
        if isinstance(value, dict):
            return value
        self.error(line, self._say(what, "{what}: erwartet wird eine Zuordnung (Zeilen „Schlüssel: Wert“), nicht {kind}",
                                   "{what} must be a mapping (key: value lines), not {kind}", kind=type_name(value)))
        return None

    def entries(self, items: MarkedList, de: str, en: str):
        """(index, entry, its numbered name such as „Stufe 2“ / "level 2") for each entry of a list that
        is a mapping; an entry that is not is recorded as an error."""
        for index, item in enumerate(items):
            numbered = Text(f"{de} {index + 1}", f"{en} {index + 1}")
            item = self.mapping(item, items.line_of(index), numbered)
            if item is not None:
                yield index, item, numbered

    def keys(self, data: MarkedDict, allowed: tuple[str, ...], what: Text) -> None:
        """Warn about keys that are not allowed — a typo must not pass silently."""
        for key in data:
            if key not in allowed:
                close = [a for a in allowed if _similar(str(key), a)]
                hint = (Text(f" Meinten Sie „{close[0]}“?", f" Did you mean '{close[0]}'?") if close
                        else Text(f" Erlaubt: {', '.join(allowed)}.", f" Allowed: {', '.join(allowed)}."))
                self.warn(data.line_of(key), self._say(what, "{what}: der unbekannte Schlüssel „{key}“ wird übergangen.{hint}",
                                                       "unknown key '{key}' in {what}; it is ignored.{hint}", key=key, hint=hint))

    def require(self, data: MarkedDict, key: str, what: Text):
        """The value of a required key, or None after recording a 'missing' error."""
        if key not in data or data[key] is None:
            self.error(data.line, self._say(what, "{what}: das Pflichtfeld „{key}“ fehlt; ergänzen Sie „{key}: …“",
                                            "{what} is missing the required field '{key}'; add '{key}: ...'", key=key))
            return None
        return data[key]

    def string(self, data: MarkedDict, key: str, what: Text, required: bool = True, default: str = "") -> str:
        """A text field; numbers are accepted as text, yes/no values are not."""
        if key not in data or data[key] is None:
            if required:
                self.require(data, key, what)
            return default
        value = data[key]
        if isinstance(value, bool):
            self.error(data.line_of(key), self._say(
                what, "{what}: „{key}“ wird als ja/nein ({value}) gelesen, nicht als Text: YAML macht aus yes/no/on/off "
                "true/false. Setzen Sie den Text in Anführungszeichen.",
                "'{key}' in {what} reads as yes/no ({value}), not as text: YAML turns yes/no/on/off "
                "into true/false. Put the text in quotes.", key=key, value=value))
            return default
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            self.error(data.line_of(key), self._say(what, "{what}: „{key}“ muss Text sein, nicht {kind}",
                                                    "'{key}' in {what} must be text, not {kind}", key=key, kind=type_name(value)))
            return default
        return value

    def number(self, data: MarkedDict, key: str, what: Text, default=None, minimum=None, maximum=None, integer=False):
        """A numeric field within bounds."""
        if key not in data or data[key] is None:
            if default is None:
                self.require(data, key, what)
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            kind = Text("eine ganze Zahl", "a whole number") if integer else Text("eine Zahl", "a number")
            self.error(data.line_of(key), self._say(what, "{what}: „{key}“ muss {kind} sein, nicht {actual} „{value}“",
                                                    "'{key}' in {what} must be {kind}, not {actual} '{value}'",
                                                    key=key, kind=kind, actual=type_name(value), value=shown(value)))
            return default
        if isinstance(value, float) and not math.isfinite(value):  # .nan and .inf would make every score NaN
            self.error(data.line_of(key), self._say(what, "{what}: „{key}“ muss eine endliche Zahl sein, nicht „{value}“",
                                                    "'{key}' in {what} must be a finite number, not '{value}'", key=key, value=value))
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = (Text(f"zwischen {minimum} und {maximum} liegen", f"between {minimum} and {maximum}") if maximum is not None
                      else Text(f"mindestens {minimum} sein", f"at least {minimum}"))
            self.error(data.line_of(key), self._say(what, "{what}: „{key}“ muss {bounds}, nicht {value}",
                                                    "'{key}' in {what} must be {bounds}, not {value}", key=key, bounds=bounds, value=shown(value)))
            return default
        return value

    def boolean(self, data: MarkedDict, key: str, what: Text, default: bool) -> bool:
        """A yes/no field."""
        if key not in data:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.error(data.line_of(key), self._say(what, "{what}: „{key}“ muss true oder false sein, nicht {kind}",
                                                    "'{key}' in {what} must be true or false, not {kind}", key=key, kind=type_name(value)))
            return default
        return value

    def choice(self, data: MarkedDict, key: str, what: Text, choices: tuple, default=None):
        """A field whose value is one of `choices`."""
        if key not in data or data[key] is None:
            if default is None:
                self.require(data, key, what)
            return default
        value = data[key]
        if value not in choices:
            self.error(data.line_of(key), self._say(
                what, "{what}: „{key}“ ist „{value}“, das ist nicht erlaubt; möglich sind: {choices}",
                "'{key}' in {what} is '{value}', which is not allowed; use one of: {choices}",
                key=key, value=shown(value), choices=", ".join(map(str, choices))))
            return default
        return value


def _similar(a: str, b: str) -> bool:
    """Rough typo check: same letters give or take one, or one is a prefix of the other."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if len(a) >= 3 and (b.startswith(a) or a.startswith(b)):
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):  # one letter missing or one too many
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
    return sorted(a) == sorted(b) or sum(x != y for x, y in zip(a, b)) <= 1
