"""The private LibreOffice profile a conversion runs with: macros disabled explicitly.

:func:`write_profile` writes ``user/registrymodifications.xcu`` into the fresh profile folder
given to ``soffice -env:UserInstallation=…`` before LibreOffice starts, setting

* ``Office.Common/Security/Scripting/DisableMacrosExecution`` = true (no Basic or script macro
  runs, whatever the document asks, including on load events);
* ``Office.Common/Security/Scripting/MacroSecurityLevel`` = 3 ("very high": only macros from
  trusted locations, and the profile lists none);
* ``Office.Common/Security/Scripting/BlockUntrustedRefererLinks`` = true;
* ``Office.Writer/Content/Update/Link`` = 0 (never update links to other files or URLs).
"""

from __future__ import annotations

from pathlib import Path

_ITEMS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "boolean", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "int", "0"),
)
SETTINGS = {name: value for _path, name, _type, value in _ITEMS}


def profile_xcu() -> str:
    """The text of ``registrymodifications.xcu`` with the settings above."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, _type, value in _ITEMS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n"
    )


def write_profile(profile: Path) -> Path:
    """Create the profile folder ``profile`` with the macro-disabling settings; returns the file."""
    target = profile / "user" / "registrymodifications.xcu"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(profile_xcu(), encoding="utf-8")
    return target


__all__ = ["write_profile", "profile_xcu", "SETTINGS"]
