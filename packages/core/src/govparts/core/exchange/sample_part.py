"""The descriptor of the sample exchange part (see :mod:`govparts.core.exchange.sample`).

Kept apart from the models, as every part keeps its ``part.py`` light: loading a descriptor must not
import models whose code-list fields themselves look through the installed parts.
"""

from __future__ import annotations

from ..parts import Part

__all__ = ["PART"]

PART = Part(
    name="exchange-sample",
    version="1.0.0",
    title={"zh_Hans_CN": "交换示例", "en": "Exchange sample", "ug_CN": "ئالماشتۇرۇش ئەۋرىشكىسى"},
    extras={"exchange": "govparts.core.exchange.sample:ADAPTER"},
)
