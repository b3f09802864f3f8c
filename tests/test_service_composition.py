"""Services are composed, not assembled from mixins (issue "The signed month").

Every module of ``csdesk/services`` is imported and every class defined there is checked:
a class may derive from at most one class that is (or derives from) ``Service``, and that one
must be ``Service`` itself: an area's parts are classes of their own, each given what it uses,
and the area service holds them and delegates. No ``*Mixin`` class remains.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import csdesk.services
from csdesk.services.base import Service


def _service_classes() -> list[type]:
    """Every class defined in a module of ``csdesk.services`` (subpackages included)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(csdesk.services.__path__, csdesk.services.__name__ + "."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[key] for key in sorted(found)]


def _service_bases(cls: type) -> list[type]:
    return [base for base in cls.__bases__ if issubclass(base, Service)]


def test_the_check_sees_the_area_services() -> None:
    names = {cls.__name__ for cls in _service_classes()}
    assert {"ScorecardService", "HandoverService", "CallbackService", "MonthService"} <= names
    assert {"ScorecardImports", "ScorecardPrinting", "HandoverRecords", "CallbackMembers", "CallbackReports"} <= names


def test_no_class_derives_from_more_than_one_service() -> None:
    offenders = [
        f"{cls.__module__}.{cls.__qualname__}({', '.join(b.__name__ for b in _service_bases(cls))})"
        for cls in _service_classes()
        if len(_service_bases(cls)) > 1
    ]
    assert not offenders, "derive from one Service only:\n" + "\n".join(offenders)


def test_services_derive_only_from_the_common_base() -> None:
    offenders = [
        f"{cls.__module__}.{cls.__qualname__} derives from {base.__name__}"
        for cls in _service_classes()
        for base in _service_bases(cls)
        if base is not Service
    ]
    assert not offenders, "hold the other part instead of deriving from it:\n" + "\n".join(offenders)


def test_no_mixin_remains() -> None:
    mixins = [f"{cls.__module__}.{cls.__qualname__}" for cls in _service_classes() if cls.__name__.endswith("Mixin")]
    assert not mixins, "mixins left:\n" + "\n".join(mixins)


def test_the_parts_are_reached_through_the_area_service() -> None:
    """The public methods of the former mixins are still the area services' own (delegation)."""
    from csdesk.services.callback_members import CallbackMembers
    from csdesk.services.callback_reports import CallbackReports
    from csdesk.services.callbacks import CallbackService
    from csdesk.services.handover import HandoverService
    from csdesk.services.handover_records import HandoverRecords
    from csdesk.services.scorecard_imports import ScorecardImports
    from csdesk.services.scorecard_print import ScorecardPrinting
    from csdesk.services.scorecards import ScorecardService

    def public(cls: type) -> set[str]:
        return {n for n, v in vars(cls).items() if not n.startswith("_") and inspect.isfunction(v)}

    missing = [
        f"{area.__name__}.{name}"
        for area, parts in (
            (ScorecardService, (ScorecardImports, ScorecardPrinting)),
            (HandoverService, (HandoverRecords,)),
            (CallbackService, (CallbackMembers, CallbackReports)),
        )
        for part in parts
        for name in sorted(public(part))
        if name not in vars(area)
    ]
    assert not missing, "not delegated:\n" + "\n".join(missing)
    assert isinstance(vars(HandoverService)["counts_source"], property)
