"""Report settings for consultants: organisation, logo, colours and footer from `assess.yaml`."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from assess import texts
from assess.model import Text
from assess.yamlfile import Checker, read_file, shown

THE_CONFIG = Text("Konfiguration", "the configuration")

CONFIG_FILE = "assess.yaml"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 2_000_000


@dataclass(frozen=True)
class ReportConfig:
    """How reports are branded; the defaults are neutral."""

    organisation: str = ""
    logo_data_uri: str = ""
    accent: str = "#1f5fa8"
    footer: str = ""
    template_dir: Path | None = None

    @property
    def accent_text(self) -> str:
        """White or near-black, whichever reads on the accent colour (WCAG contrast ≥ 4.5)."""
        return "#ffffff" if contrast(self.accent, "#ffffff") >= 4.5 else "#111827"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours given as #rrggbb."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def user_config_path() -> Path:
    """The user's own report configuration: `assess.yaml` in the user's config folder
    (e.g. ~/.config/assess/assess.yaml); `ASSESS_CONFIG_DIR` names another folder."""
    import os

    folder = os.environ.get("ASSESS_CONFIG_DIR")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("assess", appauthor=False)
    return Path(folder) / CONFIG_FILE


def load_config(path: Path | None) -> ReportConfig:
    """Read `path`, else the user's own configuration if there is one, else the defaults.

    Never a file from the working folder that was not named: a folder received from a client must
    not change a report or point it at templates of its own (docs/reports.md)."""
    if path is None:
        path = user_config_path()
        if not path.is_file():
            return ReportConfig()
    c = Checker(str(path))
    data = c.mapping(read_file(path), 1, Text("Berichtskonfiguration", "the report configuration"))
    c.raise_if_errors()
    c.keys(data, ("organisation", "logo", "colors", "footer", "template_dir"), THE_CONFIG)
    organisation = c.string(data, "organisation", THE_CONFIG, required=False)
    footer = c.string(data, "footer", THE_CONFIG, required=False)
    accent = "#1f5fa8"
    colors = data.get("colors")
    if colors is not None:
        colors_what = Text("„colors“", "'colors'")
        colors = c.mapping(colors, data.line_of("colors"), colors_what)
        if colors is not None:
            c.keys(colors, ("accent",), colors_what)
            accent = c.string(colors, "accent", colors_what, required=False, default=accent)
            if not COLOUR.match(accent):
                c.error(colors.line_of("accent"), Text(
                    f"„accent“ muss eine Farbe wie \"#1f5fa8\" sein (in Anführungszeichen), nicht „{shown(accent)}“",
                    f"'accent' must be a colour like \"#1f5fa8\" (in quotes), not '{shown(accent)}'"))
    logo = ""
    if data.get("logo"):
        logo = _logo(c, Path(path).parent / c.string(data, "logo", THE_CONFIG), data.line_of("logo"))
    template_dir = None
    if data.get("template_dir"):
        template_dir = Path(path).parent / c.string(data, "template_dir", THE_CONFIG)
        if not template_dir.is_dir():
            c.error(data.line_of("template_dir"), Text(f"den Vorlagenordner „{template_dir}“ gibt es nicht",
                                                       f"template folder '{template_dir}' does not exist"))
    c.raise_if_errors()
    return ReportConfig(organisation, logo, accent, footer, template_dir)


def _logo(c: Checker, path: Path, line: int) -> str:
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        c.error(line, Text(f"das Logo „{path.name}“ muss eine PNG-, JPEG- oder SVG-Datei sein",
                           f"logo '{path.name}' must be a PNG, JPEG or SVG file"))
        return ""
    problem = _logo_file_problem(path)
    if problem is not None:
        c.error(line, problem)
        return ""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_LOGO_BYTES + 1)
    except OSError:
        c.error(line, Text(f"die Logodatei „{path}“ ist nicht lesbar; geben Sie den Pfad relativ zur Konfigurationsdatei an",
                           f"logo file '{path}' cannot be read; give a path relative to the configuration file"))
        return ""
    if len(raw) > MAX_LOGO_BYTES:
        c.error(line, Text(f"das Logo „{path.name}“ ist größer als 2 MB; verwenden Sie ein kleineres Bild",
                           f"logo '{path.name}' is larger than 2 MB; use a smaller image"))
        return ""
    return f"data:{kind};base64,{base64.b64encode(raw).decode('ascii')}"


def _logo_file_problem(path: Path) -> Text | None:
    """Why `path` may not be embedded as a logo, or None: a logo is a regular file, and a symbolic
    link only to a file in its own folder (a link out of it could embed any file of the machine)."""
    import os
    import stat

    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(path.parent.resolve()):
                return texts.both("config.logo_link_out", path=path, target=target)
        mode = os.stat(path).st_mode
    except (OSError, RuntimeError):
        return None  # missing or unreadable: the reading says so
    if not stat.S_ISREG(mode):
        return texts.both("config.logo_not_regular", path=path)
    return None
