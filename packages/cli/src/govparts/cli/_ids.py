"""``govparts check-id``: which national identifier a value is, whether it is valid, and why not."""

from __future__ import annotations

from typing import Annotated

import typer

from govparts.core.i18n import N_

from ._ui import ARGUMENTS, EXIT_FAILED, JsonOption, LocaleOption, _, session

_KINDS = {
    "citizen-id": N_("citizen identity number"),
    "credit-code": N_("unified social credit code"),
    "division-code": N_("administrative division code"),
}
_DETAILS = {
    "kind": N_("document"),
    "birth_date": N_("date of birth"),
    "sex": N_("sex"),
    "division": N_("division code"),
    "division_name": N_("division"),
    "permit_region": N_("region of the permit"),
    "authority": N_("registering authority code"),
    "organization_type": N_("organisation type code"),
    "organization_code": N_("organisation code"),
    "name": N_("name"),
    "parent": N_("parent division"),
    "valid_from": N_("in force from"),
    "valid_to": N_("in force until"),
}
_VALUES = {
    "resident": N_("resident identity card"),
    "hk-mo-tw-residence-permit": N_("residence permit of a Hong Kong, Macao or Taiwan resident"),
    "foreign-permanent-resident": N_("foreign permanent-resident ID card"),
    "Hong Kong": N_("Hong Kong"),
    "Macao": N_("Macao"),
    "Taiwan": N_("Taiwan"),
}


def _shown(key: str, value: str, locale: str) -> str:
    if key == "sex":
        from govparts.core import codes

        sexes = codes.get("GB/T 2261.1")
        return f"{value} {sexes[value].label(locale)}" if value in sexes else value
    return _(_VALUES[value]) if value in _VALUES else value


def check_id(
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help=_("A citizen identity number, unified social credit code or division code."),
            rich_help_panel=ARGUMENTS,
        ),
    ],
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import ids

    with session(locale, as_json) as out:
        info = ids.describe(value)
        rows: list[tuple[str, str]] = [
            (_("Value"), info.value),
            (_("Kind"), _(_KINDS[info.kind]) if info.kind else _("not a known identifier")),
        ]
        if info.standard:
            rows.append((_("Standard"), info.standard))
        rows.append((_("Result"), _("valid") if info.valid else _("invalid")))
        if info.canonical and info.canonical != info.value:
            rows.append((_("Canonical form"), info.canonical))
        if not info.valid:
            rows.append((_("Reason"), info.reason(out.locale)))
        rows += [
            (_(_DETAILS[key]) if key in _DETAILS else key, _shown(key, detail, out.locale))
            for key, detail in info.details.items()
        ]
        out.emit(info.to_dict(out.locale), out.table(None, [_("Field"), _("Value")], rows))
    if not info.valid:
        raise typer.Exit(EXIT_FAILED)
