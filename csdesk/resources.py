"""Find bundled files (policy, fonts, translations) from source and when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller one-folder bundle
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``."""
    return _root().joinpath("resources", *parts)


def translations_dir() -> Path:
    """The gettext tree: ``translations/<lang>/LC_MESSAGES/csdesk.(po|mo)``."""
    return _root() / "translations"


def font_path() -> Path:
    """The bundled CJK + Latin TrueType collection (WenQuanYi Micro Hei)."""
    return resource_path("fonts", "wqy-microhei.ttc")


def default_policy_path() -> Path:
    return resource_path("policy.toml")
