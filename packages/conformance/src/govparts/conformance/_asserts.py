"""Expected and observed values of a bare ``assert`` that failed in a check.

A check should compare with :func:`~govparts.conformance.expect_equal`; when it uses a bare
``assert observed == expected`` instead, the runner reads the failing statement from the check's
source and, when both sides are plain expressions (names, attributes, subscripts, constants, arithmetic,
containers and comprehensions of them, and builtins such as ``sorted`` or ``Money.of`` — never a
call of the implementation or of the check's helpers, so nothing runs again),
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
    ast.Compare,
    ast.cmpop,
    ast.BoolOp,
    ast.boolop,
)


_COMPREHENSIONS = (ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.comprehension, ast.Store, ast.keyword)
_PURE_CALLS = frozenset(
    {"sorted", "len", "list", "set", "tuple", "frozenset", "str", "int", "bool", "sum", "min", "max", "abs"}
)
"""Builtins a comparison may call: they only read what they are given."""
_PURE_METHODS = frozenset({("Money", "of"), ("Money", "zero"), ("date", "fromisoformat")})
"""Constructors of plain values a comparison may call."""


def _pure_call(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in _PURE_CALLS or func.id in ("Decimal", "date")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return (func.value.id, func.attr) in _PURE_METHODS
    return False


def _plain(node: ast.AST) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            if not _pure_call(child):
                return False
        elif not isinstance(child, (*_PLAIN, *_COMPREHENSIONS)):
            return False
    return True


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
    if node is None:
        return None
    scope = {**frame.f_globals, **frame.f_locals}  # one scope, so comprehensions see the locals
    what = str(exc) or ast.unparse(node.test)
    if not isinstance(node.test, ast.Compare):
        negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
        subject = node.test.operand if isinstance(node.test, ast.UnaryOp) and negated else node.test
        if not _plain(subject):
            return None
        try:
            value = eval(compile(ast.Expression(subject), "<assert>", "eval"), scope)
        except Exception:
            return None
        wanted = "a false or empty value" if negated else "a true or non-empty value"
        return what, f"{ast.unparse(subject)}: {wanted}", show(value)
    if len(node.test.ops) != 1:
        return None
    op = _OPS.get(type(node.test.ops[0]))
    left, right = node.test.left, node.test.comparators[0]
    if op is None or not (_plain(left) and _plain(right)):
        return None
    try:
        observed = eval(compile(ast.Expression(left), "<assert>", "eval"), scope)
        wanted = eval(compile(ast.Expression(right), "<assert>", "eval"), scope)
    except Exception:
        return None
    expected = show(wanted) if op == "==" else f"{op} {show(wanted)}"
    return what, expected, show(observed)
