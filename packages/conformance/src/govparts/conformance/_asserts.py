"""Expected and observed values of a bare ``assert`` that failed in a check.

A check should compare with :func:`~govparts.conformance.expect_equal`; when it uses a bare
``assert observed == expected`` instead, the runner reads the failing statement from the check's
source and, when both sides are plain expressions (names, attributes, subscripts, constants and
arithmetic or containers of them — never a call, so nothing of the implementation runs again),
evaluates them in the failing frame. The verdict then shows expected and observed like any other.
"""

from __future__ import annotations

import ast
import linecache
from functools import cache
from types import FrameType, TracebackType
from typing import Any

from ._scenario import show

__all__ = ["compared_values"]

_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
_PLAIN = (
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Constant,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.UnaryOp,
    ast.BinOp,
    ast.Slice,
    ast.Load,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
)


def _plain(node: ast.AST) -> bool:
    return all(isinstance(child, _PLAIN) for child in ast.walk(node))


@cache
def _asserts(filename: str) -> tuple[ast.Assert, ...]:
    source = "".join(linecache.getlines(filename))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    return tuple(node for node in ast.walk(tree) if isinstance(node, ast.Assert))


def _frame(tb: TracebackType | None, filename: str | None) -> tuple[FrameType, int] | None:
    found: tuple[FrameType, int] | None = None
    while tb is not None:
        if filename is None or tb.tb_frame.f_code.co_filename == filename:
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def compared_values(exc: AssertionError, function: Any) -> tuple[str, str, str] | None:
    """Expected and observed values (as verdicts show them) of the bare ``assert`` that raised ``exc``.

    ``None`` when the assertion is not a single comparison of plain expressions, or when they cannot
    be read back. For ``==`` the right side is the expected value; for other comparisons the
    expected value is the operator and the right side (``"< 3"``).
    """
    filename = getattr(getattr(function, "__code__", None), "co_filename", None)
    located = _frame(exc.__traceback__, filename)
    if located is None:
        return None
    frame, line = located
    node = next(
        (a for a in _asserts(frame.f_code.co_filename) if a.lineno <= line <= (a.end_lineno or a.lineno)),
        None,
    )
    if node is None or not isinstance(node.test, ast.Compare) or len(node.test.ops) != 1:
        return None
    op = _OPS.get(type(node.test.ops[0]))
    left, right = node.test.left, node.test.comparators[0]
    if op is None or not (_plain(left) and _plain(right)):
        return None
    try:
        observed = eval(compile(ast.Expression(left), "<assert>", "eval"), frame.f_globals, frame.f_locals)
        wanted = eval(compile(ast.Expression(right), "<assert>", "eval"), frame.f_globals, frame.f_locals)
    except Exception:
        return None
    what = str(exc) or ast.unparse(node.test)
    expected = show(wanted) if op == "==" else f"{op} {show(wanted)}"
    return what, expected, show(observed)
