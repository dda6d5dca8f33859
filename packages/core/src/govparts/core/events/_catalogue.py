"""Event types and the catalogue of every event the installed parts publish."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ..errors import ConfigurationError, InvalidInput, InvalidSpec, NotFound, from_validation_error
from ..i18n import N_, SUPPORTED_LOCALES, get_locale, normalize_locale
from ._envelope import CloudEvent, EventTypeName, new_event_id, parse_event_type

if TYPE_CHECKING:
    from ..parts import Part

__all__ = ["EventType", "catalogue", "get", "register", "registered"]

_PayloadModel = type[BaseModel]  # named here: inside EventType, "type" is a field


@dataclass(frozen=True)
class EventType:
    """A published event type: its name, payload model, description and producing part.

    ``type`` is ``cn.govparts.<part>.<entity>.<event>.v<N>``; the producer is the ``<part>``. The
    payload model is the published contract: its JSON Schema (:meth:`json_schema`) is what consumers,
    in govparts or in a vendor's system, read the event's ``data`` against. A change that breaks
    readers gets a new major version, that is, a new type.

        >>> from pydantic import BaseModel
        >>> class DocumentArchived(BaseModel):
        ...     document_id: str
        >>> archived = EventType(
        ...     "cn.govparts.archives.document.archived.v1", DocumentArchived,
        ...     {"zh_Hans_CN": "公文已归档", "en": "A document was archived", "ug_CN": "ھۆججەت ئارخىپلاندى"},
        ... )
        >>> archived.producer, archived.version
        ('archives', 1)
    """

    type: str
    payload: _PayloadModel
    description: Mapping[str, str]
    producer: str = ""
    """The part that emits it; derived from ``type`` (and checked against it when given)."""
    dataschema: str = ""
    """URI of the payload's JSON Schema; default ``urn:govparts:schema:<type>``."""
    source: str = ""
    """Default CloudEvents ``source`` of events of this type; default ``urn:govparts:<producer>``."""
    name: EventTypeName = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            name = parse_event_type(self.type)
        except InvalidInput as exc:
            raise InvalidSpec(exc.message_id, field="type", got=str(self.type)) from None
        if not (isinstance(self.payload, type) and issubclass(self.payload, BaseModel)):
            raise InvalidSpec(
                N_("{field}: the payload of {type} must be a pydantic model class, got {got}"),
                field="payload",
                type=self.type,
                got=repr(self.payload),
            )
        missing = [loc for loc in SUPPORTED_LOCALES if not str(self.description.get(loc, "")).strip()]
        extra = sorted(set(self.description) - set(SUPPORTED_LOCALES))
        if missing or extra:
            raise InvalidSpec(
                N_(
                    "{field}: {type} needs a description in each of {allowed}; "
                    "missing {missing}, unknown {got}"
                ),
                field="description",
                type=self.type,
                allowed=list(SUPPORTED_LOCALES),
                missing=missing or "-",
                got=", ".join(extra) or "-",
            )
        if self.producer and self.producer != name.part:
            raise InvalidSpec(
                N_("{field}: {type} is produced by part {expected}, not {got}"),
                field="producer",
                type=self.type,
                expected=name.part,
                got=self.producer,
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", dict(self.description))
        object.__setattr__(self, "producer", name.part)
        object.__setattr__(self, "dataschema", self.dataschema or f"urn:govparts:schema:{self.type}")
        object.__setattr__(self, "source", self.source or f"urn:govparts:{name.part}")

    @property
    def entity(self) -> str:
        """The ``<entity>`` the events are about."""
        return self.name.entity

    @property
    def event(self) -> str:
        """What happened (the ``<event>`` word)."""
        return self.name.event

    @property
    def version(self) -> int:
        """The major version ``N`` of ``.v<N>``."""
        return self.name.version

    def description_in(self, locale: str | None = None) -> str:
        """The description in ``locale`` (default: the current locale)."""
        return self.description[normalize_locale(locale) if locale else get_locale()]

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the payload, identified by :attr:`dataschema`."""
        schema = self.payload.model_json_schema(mode="serialization")
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.dataschema,
            **schema,
            "description": self.description["en"],
        }

    def validate(self, data: Any) -> BaseModel:
        """``data`` (a payload instance, a mapping or JSON text) as the payload model.

        Invalid data raises :class:`~govparts.core.errors.InvalidRecord` naming each bad field.
        """
        try:
            if isinstance(data, (str, bytes)):
                return self.payload.model_validate_json(data)
            if isinstance(data, BaseModel) and not isinstance(data, self.payload):
                data = data.model_dump(mode="json")
            return self.payload.model_validate(data)
        except ValidationError as exc:
            raise from_validation_error(exc, model=self.type) from None

    def envelope(
        self,
        data: Any,
        *,
        subject: str,
        source: str | None = None,
        id: str | None = None,
        time: datetime | None = None,
        extensions: Mapping[str, str | int | bool] | None = None,
    ) -> CloudEvent:
        """A :class:`CloudEvent` of this type carrying ``data`` (validated against the payload)."""
        payload = self.validate(data)
        try:
            return CloudEvent(
                id=id or new_event_id(),
                source=source or self.source,
                type=self.type,
                time=(time or datetime.now(UTC)).astimezone(UTC),
                subject=subject,
                datacontenttype="application/json",
                dataschema=self.dataschema,
                data=payload.model_dump(mode="json"),
                **dict(extensions or {}),
            )
        except ValidationError as exc:
            raise from_validation_error(exc, model="CloudEvent") from None

    def parse(self, event: CloudEvent) -> BaseModel:
        """The payload of ``event``, which must be of this type."""
        if event.type != self.type:
            raise InvalidInput(
                N_("{field}: expected an event of type {expected}, got {got}"),
                field="type",
                expected=self.type,
                got=event.type,
            )
        return self.validate(event.data)

    def describe(self) -> dict[str, Any]:
        """Plain data about this type, as ``govparts events list`` shows it."""
        return {
            "type": self.type,
            "producer": self.producer,
            "entity": self.entity,
            "event": self.event,
            "version": self.version,
            "description": dict(self.description),
            "payload": f"{self.payload.__module__}:{self.payload.__qualname__}",
            "dataschema": self.dataschema,
            "source": self.source,
            "schema": self.json_schema(),
        }


_registry: dict[str, EventType] = {}
_lock = threading.Lock()


def register(*event_types: EventType) -> None:
    """Add event types to the catalogue; registering the same one again is harmless.

    A different type under a name already registered raises
    :class:`~govparts.core.errors.ConfigurationError`: two parts (or two versions of one) disagree.
    """
    with _lock:
        for event_type in event_types:
            if not isinstance(event_type, EventType):
                raise ConfigurationError(
                    N_("{field}: expected an EventType, got {got}"), field="event_types", got=repr(event_type)
                )
            known = _registry.get(event_type.type)
            if known is not None and known != event_type:
                raise ConfigurationError(
                    N_("{field}: event type {got} is already registered with another definition"),
                    field="type",
                    got=event_type.type,
                )
            _registry[event_type.type] = event_type


def get(type_name: str) -> EventType:
    """The registered event type called ``type_name``."""
    found = _registry.get(type_name)
    if found is None:
        raise NotFound(field="type", kind="event type", got=type_name)
    return found


def registered() -> list[EventType]:
    """Every registered event type, sorted by name."""
    return [_registry[name] for name in sorted(_registry)]


def _event_types_of(published: Any, where: str) -> list[EventType]:
    if isinstance(published, EventType):
        return [published]
    if isinstance(published, ModuleType):
        return [value for value in vars(published).values() if isinstance(value, EventType)]
    if isinstance(published, Mapping):
        published = list(published.values())
    if isinstance(published, Iterable) and not isinstance(published, (str, bytes)):
        found = list(published)
        if all(isinstance(item, EventType) for item in found):
            return found
    raise ConfigurationError(
        N_("{field}: expected event types (a list, a mapping or a module of EventType), got {got}"),
        field=where,
        got=type(published).__name__,
    )


def catalogue(parts: Sequence[Part] | None = None) -> list[dict[str, Any]]:
    """Event types as plain data: of ``parts`` only, or (``None``) of every installed part plus any
    other registered type.

    A part publishes its event types through its descriptor: ``Part(events="govparts.<part>.events:
    EVENT_TYPES")``, naming a list (or mapping, or module) of :class:`EventType`. They are registered
    on the way. Rows are sorted by type; see :meth:`EventType.describe` for their keys.
    """
    from ..parts import iter_parts

    chosen: list[EventType] = []
    for part in iter_parts() if parts is None else parts:
        if part.events is not None:
            types = _event_types_of(part.load("events"), f"{part.name}.events")
            register(*types)
            chosen.extend(types)
    if parts is None:
        return [event_type.describe() for event_type in registered()]
    return [event_type.describe() for event_type in sorted(chosen, key=lambda t: t.type)]
