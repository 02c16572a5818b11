"""Jinja for reports and the form: a sandbox for every template, bounded time, errors as `file:line`.

A consultant's own templates (`--template-dir`) are code from outside assess. They run in Jinja's
SandboxedEnvironment, so a template can read the report's data but never reach Python's internals
(`cycler.__init__.__globals__`, `__class__.__mro__` …) and never call anything that changes data.
The built-in templates run in the same sandbox: one environment, one rule, and a user template that
extends a built-in one (`{% extends "default:report.html.j2" %}`) renders exactly as it would alone.

A template that fails — a loop over a number, a division by zero, endless recursion, an unsafe call,
a syntax error — is reported as an error of that template file and line, in German and English.
"""

from __future__ import annotations

import time
from pathlib import Path

from assess import texts
from assess.bilingual import Text
from assess.errors import AssessError, NotFoundError

# Seconds a single rendering may take. A report renders in about a second; a template that
# loops for minutes is a mistake, not a bigger report.
TIME_LIMIT = 60.0
# Characters of output; a report with a 2 MB logo is about 3.5 million.
MAX_OUTPUT = 100_000_000
# The longest text or list one `*` or `+` in a template may make.
MAX_PRODUCT = 10_000_000


COMPILED = "timed-loops"  # how templates are compiled here: a change must not meet code compiled before it


class TemplateLimit(Exception):
    """Raised inside a rendering that goes over a limit (turned into an AssessError by `render`).

    `kind` is "too_long" (TIME_LIMIT) or "too_large" (MAX_OUTPUT, MAX_PRODUCT)."""

    def __init__(self, kind: str, message: str = ""):
        super().__init__(message)
        self.kind = kind


def _sandbox_class():
    from jinja2.sandbox import SandboxedEnvironment

    class ReportSandbox(SandboxedEnvironment):
        """The sandbox, with a clock: attribute access, calls and every step of every loop check the
        deadline (each `for` is rewritten once, when the template is parsed, to iterate through `timed`)."""

        intercepted_binops = frozenset(["*", "**", "+"])

        deadline = float("inf")

        def check_time(self) -> None:
            if time.monotonic() > self.deadline:
                raise TemplateLimit("too_long")

        def timed(self, iterable):
            for item in iterable:
                self.check_time()
                yield item

        def _parse(self, source, name, filename):
            from jinja2 import nodes

            tree = super()._parse(source, name, filename)
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Call(nodes.EnvironmentAttribute("timed"), [loop.iter], [], None, None,
                                       lineno=loop.iter.lineno)
            return tree

        def getattr(self, obj, attribute):
            self.check_time()
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            self.check_time()
            return super().getitem(obj, argument)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
            __self.check_time()
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context, operator, left, right):
            self.check_time()
            if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)) \
                    and abs(right) > 1000 and abs(left) > 1:
                raise TemplateLimit("too_large", f"{left!r} ** {right!r}")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                            and len(seq) * count > MAX_PRODUCT:
                        raise TemplateLimit("too_large", f"{len(seq):,} × {count:,}")
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
                    and len(left) + len(right) > MAX_PRODUCT:
                raise TemplateLimit("too_large", f"{len(left):,} + {len(right):,}")
            return super().call_binop(context, operator, left, right)

    return ReportSandbox


def environment(template_dir: Path | None = None, finalize=None, autoescape: bool = True):
    """The sandboxed environment: the user's folder first, built-ins last, `default:` reaches a built-in."""
    import jinja2

    from assess.resources import data_dir

    builtin = jinja2.FileSystemLoader(str(data_dir("reports")))
    loaders = [jinja2.FileSystemLoader(str(template_dir))] if template_dir else []
    loaders += [jinja2.PrefixLoader({"default": builtin}, delimiter=":"), builtin]
    env = _sandbox_class()(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled_templates(autoescape, finalize is not None),
    )
    env.user_templates = template_dir is not None

    def bounded_range(*args):
        from jinja2.sandbox import safe_range

        for number in safe_range(*args):  # at most 100,000 steps each, as in every Jinja sandbox
            env.check_time()
            yield number

    env.globals["range"] = bounded_range
    env.globals.pop("lipsum", None)  # lipsum(10**9) would fill the memory, and no report needs it
    return env


def _compiled_templates(autoescape: bool, finalize: bool):
    """Jinja's cache of compiled templates in the user's cache folder (None when the cache is off):
    compiling the report template costs about a third of a second per process. Jinja keys each entry
    by template name and source checksum; the folder is per Jinja version and per environment
    flavour, since autoescaping and finalize are compiled into the code."""
    import jinja2

    from assess import __version__, diskcache

    base = diskcache.folder()
    if base is None:
        return None
    flavour = (f"jinja{jinja2.__version__}-assess{__version__}-{COMPILED}-{'escape' if autoescape else 'plain'}-"
               f"{'final' if finalize else 'raw'}")
    folder = base / "templates" / flavour
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(env, name: str, context: dict) -> str:
    """Render the template `name`; every failure of a template becomes an AssessError naming its file and line."""
    import jinja2

    env.deadline = time.monotonic() + TIME_LIMIT
    try:
        template = env.get_template(name)
        parts, size = [], 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimit("too_large", f"> {MAX_OUTPUT:,}")
            parts.append(chunk)
        return "".join(parts)
    except AssessError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise NotFoundError(texts.both("template.not_found", name=exc.name)) from None
    except (jinja2.TemplateError, RecursionError, TemplateLimit) as exc:
        raise template_error(exc, name) from None
    except Exception as exc:
        # A failure in the user's templates is theirs to fix; in the built-in ones it is a bug in
        # assess and goes on to the command line's last resort (exit 3).
        if not getattr(env, "user_templates", False):
            raise
        raise template_error(exc, name) from None
    finally:
        env.deadline = float("inf")


def template_error(exc: BaseException, name: str) -> AssessError:
    """`file:line: error in the report template: what` for a failed rendering, in both languages."""
    import jinja2

    filename, line = where(exc)
    filename = filename or name
    original = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename or exc.name or filename, exc.lineno
        kind = "syntax"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        kind = "unsafe"
    elif isinstance(exc, jinja2.UndefinedError):
        kind = "undefined"
    elif isinstance(exc, RecursionError):
        kind = "recursion"
    elif isinstance(exc, TemplateLimit):
        kind = exc.kind
    elif isinstance(exc, ZeroDivisionError):
        kind = "zero_division"
    elif isinstance(exc, TypeError) and "not iterable" in original:
        kind = "not_iterable"
    else:
        kind = "other"
        original = f"{type(exc).__name__}: {original}"
    location = f"{filename}:{line}" if line else str(filename)
    detail = texts.both(f"template.{kind}", message=original, seconds=int(TIME_LIMIT))
    return AssessError(Text(texts.text("template.error", "de", where=location, detail=detail.de),
                            texts.text("template.error", "en", where=location, detail=detail.en)))


def where(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where `exc` was raised: the innermost template frame of its traceback.

    Jinja rewrites the traceback of a failed rendering so that template code shows as frames of
    the template file at the template's line (jinja2.debug)."""
    import traceback

    found = (None, None)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if "__jinja_exception__" in frame.f_globals:
            found = (frame.f_globals.get("__file__"), line)
    return found


class ContentSecurityPolicy:
    """The page's Content-Security-Policy as a `<meta>` element, with a hash of every inline script
    and style the template itself writes — and of nothing else.

    A template writes its inline elements through `{% call csp.style() %}…{% endcall %}` and
    `{% call csp.script() %}…{% endcall %}`, and `{{ csp.meta }}` as the first element of <head>.
    Only what passes through these calls is hashed, while the page renders; `finish` then puts the
    policy in place. So an element that text from an answer file might smuggle into the page
    (should escaping ever fail) has no hash, and the browser neither runs nor applies it.
    Nothing may be loaded from elsewhere: `default-src 'none'`; images only as data: URIs.
    """

    def __init__(self, images: bool = False, enabled: bool = True):
        import secrets

        self.images, self.enabled = images, enabled
        self.hashes = {"script": [], "style": []}
        self.placeholder = f"<!--csp-{secrets.token_hex(16)}-->"

    def _inline(self, kind: str, caller, nonce: str = ""):
        import base64
        import hashlib

        from markupsafe import Markup

        # The HTML parser reads CR LF and CR as LF; the hash must be of what the browser sees.
        content = str(caller()).replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")
        if f"'sha256-{digest}'" not in self.hashes[kind]:
            self.hashes[kind].append(f"'sha256-{digest}'")
        attribute = Markup(' nonce="{}"').format(nonce) if nonce else ""
        return Markup(f"<{kind}{attribute}>") + Markup(content) + Markup(f"</{kind}>")

    def style(self, nonce: str = "", caller=None):
        """`<style>` with the caller's content, hashed for the policy (and a server's nonce, if given)."""
        return self._inline("style", caller, nonce)

    def script(self, nonce: str = "", caller=None):
        """`<script>` with the caller's content, hashed for the policy (and a server's nonce, if given)."""
        return self._inline("script", caller, nonce)

    @property
    def meta(self):
        from markupsafe import Markup

        return Markup(self.placeholder)

    def policy(self) -> str:
        parts = ["default-src 'none'"]
        for kind in ("script", "style"):
            if self.hashes[kind]:
                parts.append(f"{kind}-src " + " ".join(self.hashes[kind]))
        if self.images:
            parts.append("img-src data:")
        parts += ["base-uri 'none'", "form-action 'none'"]
        return "; ".join(parts)

    def finish(self, html: str) -> str:
        """The rendered page with the policy in place of `{{ csp.meta }}` (or nothing, when disabled)."""
        element = f'<meta http-equiv="Content-Security-Policy" content="{self.policy()}">' if self.enabled else ""
        return html.replace(self.placeholder, element, 1)
