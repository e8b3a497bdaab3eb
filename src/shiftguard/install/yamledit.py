"""Round-trip YAML editing that keeps a file's comments, key order and indentation.

ruamel.yaml attaches comments that follow the last entry of a file to the
deepest last scalar; appending an entry would then leave them stranded above
it. `detach_tail`/`attach_tail` move that trailing block to the new end.
"""

from __future__ import annotations

import io
from typing import Any

from shiftguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ruamel.yaml import YAML


def make_yaml(text: str) -> YAML:
    """A round-trip YAML whose indentation follows TEXT (default: 2/4/2)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a user's long line
    indent, offset = 4, 2
    try:
        _, guessed, guessed_offset = load_yaml_guess_indent(text)
    except Exception:  # noqa: BLE001 - `load` reports the syntax error properly
        guessed, guessed_offset = None, None
    if guessed:
        indent, offset = guessed, guessed_offset or 0
    yaml.indent(mapping=indent - offset if offset else indent, sequence=indent, offset=offset)
    yaml.explicit_start = text.lstrip().startswith("---")  # ruamel drops a leading `---`
    return yaml


def load(yaml: YAML, text: str, source: str) -> object:
    from ruamel.yaml.error import YAMLError

    try:
        return yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}{where}: invalid YAML: {problem}") from exc


def dump(yaml: YAML, doc: object) -> str:
    stream = io.StringIO()
    yaml.dump(doc, stream)
    return stream.getvalue()


def _is_block(node: object) -> bool:
    """A block-style mapping or sequence: comments after it belong to the file."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    return isinstance(node, (CommentedMap, CommentedSeq)) and not node.fa.flow_style()


def _last_slot(doc: Any) -> tuple[Any, Any, int] | None:
    """(container, key, comment position) of the deepest last entry of DOC."""
    from ruamel.yaml.comments import CommentedMap

    path = [node for node in _last_path(doc) if len(node)]
    if not path:
        return None
    node = path[-1]
    if isinstance(node, CommentedMap):
        return node, list(node.keys())[-1], 2
    return node, len(node) - 1, 0


def detach_tail(doc: object) -> str:
    """Remove and return the comment lines after the last entry of DOC.

    Depending on the shape, ruamel keeps them on the last scalar or in the
    `end` comments of one of the containers on the way down to it.
    """
    tail = "".join(_take_end_comments(node) for node in _last_path(doc))
    slot = _last_slot(doc)
    if slot is None:
        return tail
    container, key, pos = slot
    entry = container.ca.items.get(key)
    token = entry[pos] if entry and len(entry) > pos else None
    if token is None or "\n" not in token.value.rstrip("\n"):
        return tail
    head, _, rest = token.value.partition("\n")
    if head:
        token.value = head + "\n"
    else:
        entry[pos] = None
    return rest + tail


def _last_path(node: Any) -> list[Any]:
    """The block containers from NODE down along the last entries."""
    from ruamel.yaml.comments import CommentedMap

    path = []
    while _is_block(node):
        path.append(node)
        if not len(node):
            break
        node = node[list(node.keys())[-1]] if isinstance(node, CommentedMap) else node[-1]
    return path


def _take_end_comments(node: Any) -> str:
    ends = node.ca.end or []
    text = "".join(t.value for t in ends if t is not None)
    node.ca.end = []
    return text


def attach_tail(doc: object, tail: str) -> None:
    """Put TAIL (from detach_tail) back after the new last entry of DOC."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _last_slot(doc)
    if not tail or slot is None:
        return
    container, key, pos = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[pos]
    if token is None:
        entry[pos] = CommentToken("\n" + tail, CommentMark(0), None)
    else:
        token.value = token.value.rstrip("\n") + "\n" + tail
