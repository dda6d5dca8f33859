"""Events the assets part emits, and the one it consumes (through its own tolerant reader)."""

from __future__ import annotations

from govparts.core import events

from .models import AssetDepreciated, AssetDisposed, AssetRegistered

__all__ = [
    "ASSET_DEPRECIATED",
    "ASSET_DISPOSED",
    "ASSET_REGISTERED",
    "EMPLOYEE_SEPARATED",
    "EVENT_TYPES",
    "RETURN_ON_SEPARATION",
]

ASSET_REGISTERED = events.EventType(
    "cn.govparts.assets.asset.registered.v1",
    AssetRegistered,
    {
        "zh_Hans_CN": "资产已入账",
        "en": "An asset was registered in the books",
        "ug_CN": "مۈلۈك ھېساباتقا كىرگۈزۈلدى",
    },
)
ASSET_DEPRECIATED = events.EventType(
    "cn.govparts.assets.asset.depreciated.v1",
    AssetDepreciated,
    {
        "zh_Hans_CN": "单位当月折旧已计提",
        "en": "An organisation's monthly depreciation was charged",
        "ug_CN": "ئورۇننىڭ ئايلىق كونىرىشى ھېسابلاندى",
    },
)
ASSET_DISPOSED = events.EventType(
    "cn.govparts.assets.asset.disposed.v1",
    AssetDisposed,
    {"zh_Hans_CN": "资产已处置", "en": "An asset was disposed of", "ug_CN": "مۈلۈك بىر تەرەپ قىلىندى"},
)
EVENT_TYPES = [ASSET_REGISTERED, ASSET_DEPRECIATED, ASSET_DISPOSED]
events.register(*EVENT_TYPES)

EMPLOYEE_SEPARATED = "cn.govparts.personnel.employee.separated.v1"
"""The personnel event this part consumes (read through ``EmployeeSeparatedAsAssetsReadsIt``)."""
RETURN_ON_SEPARATION = "assets.return-on-separation"
"""Handler id: raises a return task for everything a person who left holds."""
