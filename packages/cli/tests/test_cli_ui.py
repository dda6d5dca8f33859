"""Right-to-left text in tables: isolated on every line it is wrapped onto."""

from __future__ import annotations

import io
import re

from rich.console import Console

from govparts.cli._ui import Output, cell

RLI, PDI = "\u2067", "\u2069"
ARABIC = re.compile("[\u0600-\u06ff]")
LONG = "ئۈرۈمچى شەھىرى تيانشان رايونلۇق ھۆكۈمەت مۇلازىمىتى ۋە سانلىق مەلۇمات باشقۇرۇش ئىدارىسى"


def _render(width: int) -> str:
    out = Output("ug_CN", as_json=False)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    console.print(out.table("جەدۋەل", ["نامى", "code"], [[LONG, "BGS"]]))
    return buffer.getvalue()


def test_a_wrapped_uyghur_cell_is_isolated_on_each_line() -> None:
    """Every printed line holding Uyghur opens and closes its own isolate; no letter is left bare."""
    text = _render(40)
    lines = [line for line in text.splitlines() if ARABIC.search(line)]
    assert len(lines) >= 4  # the cell really wrapped
    for line in lines:
        assert not ARABIC.search(re.sub(f"{RLI}[^{RLI}{PDI}]*{PDI}", "", line)), line
        assert line.count(RLI) == line.count(PDI) >= 1
    words = "".join(re.findall(f"{RLI}([^{PDI}]*){PDI}", text)).split()
    assert " ".join(w for w in words if ARABIC.search(w)).endswith(LONG.rsplit(maxsplit=1)[-1])


def test_a_cell_that_fits_is_one_isolate() -> None:
    """A short Uyghur cell prints as one isolated run; its str() is the isolated text."""
    assert str(cell("ئايگۈل")) == f"{RLI}ئايگۈل{PDI}"
    assert f"{RLI}{LONG}{PDI}" in _render(200)
