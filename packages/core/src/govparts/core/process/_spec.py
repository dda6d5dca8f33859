"""``ProcessSpec``: a business process as data — states, transitions, roles, guards, events."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ..errors import GovPartsError, InvalidInput, InvalidSpec, from_validation_error
from ..i18n import N_, get_locale, normalize_locale

__all__ = [
    "GuardRule",
    "LocalizedText",
    "ProcessSpec",
    "Role",
    "SeparationOfDuties",
    "State",
    "Transition",
]

_NAME = r"^[a-z][a-z0-9_]*$"
Name = Annotated[str, Field(pattern=_NAME, max_length=64)]
"""A state, transition, role, guard or input name: lower-case letters, digits and underscores."""


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


Names = Annotated[tuple[Name, ...], BeforeValidator(_as_tuple)]


class LocalizedText(BaseModel):
    """A text in each of govparts' three languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh_Hans_CN: str = Field(min_length=1)  # noqa: N815 - the field names are the locale ids
    en: str = Field(min_length=1)
    ug_CN: str = Field(min_length=1)  # noqa: N815 - same

    def in_locale(self, locale: str | None = None) -> str:
        """The text in ``locale`` (default: the current locale)."""
        loc = normalize_locale(locale) if locale else get_locale()
        return str(getattr(self, loc))


class State(BaseModel):
    """A state the entity can be in; a terminal state has no way out."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    label: LocalizedText
    terminal: bool = False


class Role(BaseModel):
    """A role the process grants transitions to (actors hold roles by id)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    label: LocalizedText


class GuardRule(BaseModel):
    """A named business rule that must hold for a transition; the engine binds it to a callable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    description: LocalizedText


class SeparationOfDuties(BaseModel):
    """The actor must not be one who performed ``differs_from`` earlier on the same entity.

    ``scope="any"`` counts every earlier performance of those transitions; ``"latest"`` only the
    most recent performance of each (after a document was returned and resubmitted by someone
    else, the first preparer may then sign it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    differs_from: Annotated[Names, Field(min_length=1)]
    scope: Literal["any", "latest"] = "any"


class Transition(BaseModel):
    """A move from one of the ``source`` states to ``target``, by an actor holding one of ``roles``.

    ``guards`` name rules that must hold; ``inputs`` name what the actor must supply (an opinion, an
    amount) and ``optional_inputs`` what they may; ``event`` is the type of the event the move emits.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Name
    label: LocalizedText | None = None
    source: Annotated[Names, Field(min_length=1)]
    target: Name
    roles: Names
    guards: Names = ()
    inputs: Names = ()
    optional_inputs: Names = ()
    event: str | None = None
    separation_of_duties: SeparationOfDuties | None = None

    def label_in(self, locale: str | None = None) -> str:
        """The label in ``locale``, or the name when there is none."""
        return self.label.in_locale(locale) if self.label is not None else self.name


class ProcessSpec(BaseModel):
    """A business process of one kind of entity, published as data (JSON, Mermaid).

    Built from keyword arguments (or :meth:`from_json`) and checked as a whole when built: every
    state must be reachable from ``initial``; no transition may leave a terminal state and every
    other state must have a way out; transitions may name only declared states, roles and guards and
    earlier transitions (separation of duties); an event type must belong to the process's part
    (the first word of ``id``). A broken spec raises :class:`~govparts.core.errors.InvalidSpec`
    naming the offending element; a malformed one :class:`~govparts.core.errors.InvalidRecord`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=100)
    """``<part>.<process>``, e.g. ``archives.outgoing_document``."""
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")
    title: LocalizedText
    entity: Name
    """The kind of entity the process governs (``document``); subjects of its events are ``<entity>/<id>``."""
    roles: tuple[Role, ...] = Field(min_length=1)
    guards: tuple[GuardRule, ...] = ()
    states: tuple[State, ...] = Field(min_length=1)
    initial: Name
    transitions: tuple[Transition, ...] = Field(min_length=1)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _spec_error(exc) from None

    @classmethod
    def from_json(cls, text: str | bytes) -> ProcessSpec:
        """Read a spec from its JSON form (:meth:`to_json`), checking it like the constructor."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise _spec_error(exc) from None

    @model_validator(mode="after")
    def _check(self) -> ProcessSpec:
        for error in _problems(self):
            raise error
        return self

    # -- reading -----------------------------------------------------------------------------------

    @property
    def part(self) -> str:
        """The part the process belongs to (the first word of ``id``)."""
        return self.id.split(".", 1)[0]

    def state(self, state_id: str) -> State:
        """The state called ``state_id``."""
        for state in self.states:
            if state.id == state_id:
                return state
        raise InvalidInput(
            N_("{field}: {got} is not a state of {process}"), field="state", got=state_id, process=self.id
        )

    def transition(self, name: str) -> Transition:
        """The transition called ``name``."""
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise InvalidInput(
            N_("{field}: {got} is not a transition of {process}"),
            field="transition",
            got=name,
            process=self.id,
        )

    def transitions_from(self, state_id: str) -> list[Transition]:
        """The transitions that may leave ``state_id``, in spec order."""
        return [t for t in self.transitions if state_id in t.source]

    @property
    def terminal_states(self) -> list[str]:
        """The ids of the terminal states."""
        return [s.id for s in self.states if s.terminal]

    # -- export ------------------------------------------------------------------------------------

    def to_json(self, *, indent: int | None = 2) -> str:
        """The spec as JSON (the form standards staff publish); :meth:`from_json` reads it back."""
        return self.model_dump_json(indent=indent)

    def to_mermaid(self, locale: str | None = None) -> str:
        """The spec as a Mermaid ``stateDiagram-v2``, labelled in ``locale`` (default: current)."""
        title = f"{self.title.in_locale(locale)} ({self.id} {self.version})"
        lines = [
            "---",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            "---",
            "stateDiagram-v2",
        ]
        for state in self.states:
            lines.append(f'    state "{_mermaid_text(state.label.in_locale(locale))}" as {state.id}')
        lines.append(f"    [*] --> {self.initial}")
        for transition in self.transitions:
            label = _mermaid_text(transition.label_in(locale))
            for source in transition.source:
                lines.append(f"    {source} --> {transition.target} : {label}")
        lines.extend(f"    {state} --> [*]" for state in self.terminal_states)
        return "\n".join(lines) + "\n"


_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", ";": "#59;"}
_MERMAID_SPECIAL = re.compile('[#";]')


def _mermaid_text(text: str) -> str:
    # Mermaid entity codes keep quotes, semicolons and hashes from ending a label or a statement.
    escaped = _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], text)
    return " ".join(escaped.split())


def _spec_error(exc: ValidationError) -> GovPartsError:
    for item in exc.errors(include_url=False):
        original = (item.get("ctx") or {}).get("error")
        if isinstance(original, InvalidSpec):
            return original
    return from_validation_error(exc, model="ProcessSpec")


def _duplicates(kind: str, ids: list[str], where: str) -> Iterator[InvalidSpec]:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            yield InvalidSpec(
                N_("{field}: {kind} {got} is declared twice"), field=f"{where}[{index}]", kind=kind, got=value
            )
        seen.add(value)


def _problems(spec: ProcessSpec) -> Iterator[InvalidSpec]:
    state_ids = [s.id for s in spec.states]
    yield from _duplicates("state", state_ids, "states")
    yield from _duplicates("role", [r.id for r in spec.roles], "roles")
    yield from _duplicates("guard", [g.id for g in spec.guards], "guards")
    yield from _duplicates("transition", [t.name for t in spec.transitions], "transitions")
    states = set(state_ids)
    terminal = set(spec.terminal_states)
    roles = {r.id for r in spec.roles}
    guards = {g.id for g in spec.guards}
    names = {t.name for t in spec.transitions}
    if spec.initial not in states:
        yield InvalidSpec(
            N_("{field}: the initial state {got} is not a declared state"), field="initial", got=spec.initial
        )
    for index, t in enumerate(spec.transitions):
        yield from _transition_problems(
            spec,
            t,
            f"transitions[{index}]",
            states=states,
            terminal=terminal,
            roles=roles,
            guards=guards,
            names=names,
        )
    yield from _reachability_problems(spec, terminal)


def _transition_problems(
    spec: ProcessSpec,
    t: Transition,
    where: str,
    *,
    states: set[str],
    terminal: set[str],
    roles: set[str],
    guards: set[str],
    names: set[str],
) -> Iterator[InvalidSpec]:
    for source in t.source:
        if source not in states:
            yield InvalidSpec(
                N_("{field}: transition {transition} starts from {got}, which is not a declared state"),
                field=f"{where}.source",
                transition=t.name,
                got=source,
            )
        elif source in terminal:
            yield InvalidSpec(
                N_("{field}: transition {transition} leaves the terminal state {got}"),
                field=f"{where}.source",
                transition=t.name,
                got=source,
            )
    if t.target not in states:
        yield InvalidSpec(
            N_("{field}: transition {transition} leads to {got}, which is not a declared state"),
            field=f"{where}.target",
            transition=t.name,
            got=t.target,
        )
    if not t.roles:
        yield InvalidSpec(
            N_("{field}: transition {transition} permits no role, so nobody could perform it"),
            field=f"{where}.roles",
            transition=t.name,
        )
    for role in t.roles:
        if role not in roles:
            yield InvalidSpec(
                N_("{field}: transition {transition} names role {got}, which the process does not declare"),
                field=f"{where}.roles",
                transition=t.name,
                got=role,
            )
    for guard in t.guards:
        if guard not in guards:
            yield InvalidSpec(
                N_("{field}: transition {transition} names guard {got}, which the process does not declare"),
                field=f"{where}.guards",
                transition=t.name,
                got=guard,
            )
    both = sorted(set(t.inputs) & set(t.optional_inputs))
    if both:
        yield InvalidSpec(
            N_("{field}: transition {transition} lists {got} as both required and optional"),
            field=f"{where}.optional_inputs",
            transition=t.name,
            got=", ".join(both),
        )
    if t.event is not None:
        yield from _event_problems(spec, t, where)
    if t.separation_of_duties is not None:
        for earlier in t.separation_of_duties.differs_from:
            if earlier not in names:
                yield InvalidSpec(
                    N_(
                        "{field}: transition {transition} must differ from the actor of {got}, "
                        "which is not a transition"
                    ),
                    field=f"{where}.separation_of_duties.differs_from",
                    transition=t.name,
                    got=earlier,
                )


def _event_problems(spec: ProcessSpec, t: Transition, where: str) -> Iterator[InvalidSpec]:
    from ..events import parse_event_type

    try:
        name = parse_event_type(str(t.event), field=f"{where}.event")
    except InvalidInput as exc:
        yield InvalidSpec(exc.message_id, field=exc.field, **exc.details)
        return
    if name.part != spec.part:
        yield InvalidSpec(
            N_(
                "{field}: transition {transition} emits an event of part {got}, "
                "but the process belongs to {expected}"
            ),
            field=f"{where}.event",
            transition=t.name,
            got=name.part,
            expected=spec.part,
        )


def _reachability_problems(spec: ProcessSpec, terminal: set[str]) -> Iterator[InvalidSpec]:
    reached = {spec.initial}
    queue = deque([spec.initial])
    while queue:
        current = queue.popleft()
        for t in spec.transitions_from(current):
            if t.target not in reached:
                reached.add(t.target)
                queue.append(t.target)
    for index, state in enumerate(spec.states):
        if state.id not in reached:
            yield InvalidSpec(
                N_("{field}: state {got} cannot be reached from the initial state {initial}"),
                field=f"states[{index}]",
                got=state.id,
                initial=spec.initial,
            )
        elif state.id not in terminal and not spec.transitions_from(state.id):
            yield InvalidSpec(
                N_("{field}: state {got} is not terminal, but no transition leaves it"),
                field=f"states[{index}]",
                got=state.id,
            )
