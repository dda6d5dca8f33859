"""Sub-commands contributed by other distributions, mounted without importing them up front.

A distribution adds a sub-command by registering a ``typer.Typer`` under the entry-point group
``govparts.cli``; the entry point's name becomes the sub-command's name::

    [project.entry-points."govparts.cli"]
    conformance = "govparts.conformance.cli:app"

``govparts --help`` lists such sub-commands from the entry points alone; the module is imported only
when the sub-command itself runs (or its own ``--help`` is asked for).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import typer
from typer.core import TyperCommand

from govparts.core.errors import ConfigurationError
from govparts.core.i18n import N_

from ._ui import COMMANDS, Group, _

__all__ = ["ENTRY_POINT_GROUP", "RootGroup", "command_paths", "plugin_entry_points"]

ENTRY_POINT_GROUP = "govparts.cli"


@cache
def plugin_entry_points() -> dict[str, EntryPoint]:
    """The installed sub-command entry points, by name."""
    return {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}


class _Unloaded(TyperCommand):
    """Stands in for a plugin sub-command in help listings until it is run."""

    def __init__(self, entry: EntryPoint) -> None:
        distribution = entry.dist.name if entry.dist is not None else entry.module
        super().__init__(
            name=entry.name,
            help=_("Commands of {distribution}.").format(distribution=distribution),
            rich_help_panel=COMMANDS,
        )
        self.entry = entry

    def load(self) -> Any:
        """Import the sub-app and build its command."""
        try:
            target = self.entry.load()
        except ImportError as exc:
            raise ConfigurationError(
                N_("{field}: the sub-command {got} cannot be imported ({reason})"),
                field=ENTRY_POINT_GROUP,
                got=self.entry.value,
                reason=str(exc),
            ) from exc
        if not isinstance(target, typer.Typer):
            raise ConfigurationError(
                N_("{field}: entry point {got} does not name a typer.Typer"),
                field=ENTRY_POINT_GROUP,
                got=self.entry.value,
            )
        command = typer.main.get_command(target)
        command.name = self.entry.name
        return command


class RootGroup(Group):
    """The ``govparts`` group: its own commands plus every installed plugin sub-command."""

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        return own + sorted(name for name in plugin_entry_points() if name not in own)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in plugin_entry_points():
            return _Unloaded(plugin_entry_points()[cmd_name])
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Unloaded):
            command = command.load()
        return name, command, rest


def command_paths(app: typer.Typer) -> list[tuple[str, ...]]:
    """Every visible command and sub-command of ``app`` (``()`` is the root), plugins loaded: the list
    a test walks so that no command, ours or a part's, is left out."""
    root: Any = typer.main.get_command(app)
    context = root.context_class(root)
    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        found.append(path)
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if isinstance(sub, _Unloaded):
                    sub = sub.load()
                if sub is not None and not getattr(sub, "hidden", False):
                    walk(sub, (*path, name))

    walk(root, ())
    return found
