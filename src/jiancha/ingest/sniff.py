"""What a file really is, from its first bytes, whatever its name says.

Agencies send files under the wrong name: an xlsx or an old .xls saved as
``.csv``, a gzip archive, a PDF, a CSV called ``.xlsx``. Reading such a file as
what its name says yields a misleading message ("required columns missing"),
so each reader first compares the file's signature with its format and, when
they differ, refuses it with a sentence naming what the file is and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jiancha.errors import ContractError
from jiancha.i18n import tr

#: Bytes read to recognise a file.
HEAD_BYTES = 8192

#: C0 control bytes that no CSV text holds (tab, line feed, vertical tab, form feed, carriage
#: return, SUB and ESC left out: old exporters write some of them). In UTF-8 and in GB18030
#: these bytes are always themselves, never part of a multi-byte character.
_CONTROL = frozenset(range(1, 32)) - {9, 10, 11, 12, 13, 26, 27}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
#: Share of control bytes above which a head is binary, not text with a stray character.
_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class Kind:
    """A file format recognised by its signature."""

    code: str
    zh: str
    en: str
    #: The name ending under which the project reads it, or None when it does not.
    suffix: str | None = None


ZIP = Kind("zip", "xlsx/zip 文件", "an xlsx/zip file", ".xlsx")
GZIP = Kind("gzip", "gzip 压缩文件", "a gzip-compressed file", ".csv.gz")
PARQUET = Kind("parquet", "parquet 文件", "a parquet file", ".parquet")
TEXT = Kind("text", "文本文件（可能是 CSV）", "a text file (perhaps CSV)", ".csv")
BINARY = Kind("binary", "二进制文件", "a binary file")
#: What a well-formed zip under an .xlsx name is called when it turns out damaged.
XLSX = Kind("xlsx", "xlsx 工作簿", "an xlsx workbook", ".xlsx")

#: Signatures at the start of a file, longest match first where they share a prefix.
SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"\x1f\x8b", GZIP),
    (b"PAR1", PARQUET),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        Kind("ole", "旧版 Office 文件（如 Excel .xls）", "an old Office file (.xls)"),
    ),
    (b"%PDF", Kind("pdf", "PDF 文档", "a PDF document")),
    (b"\x89PNG", Kind("png", "PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", Kind("jpeg", "JPEG 图片", "a JPEG image")),
    (b"7z\xbc\xaf\x27\x1c", Kind("7z", "7z 压缩文件", "a 7z archive")),
    (b"Rar!", Kind("rar", "RAR 压缩文件", "a RAR archive")),
    (b"BZh", Kind("bzip2", "bzip2 压缩文件", "a bzip2-compressed file")),
    (b"\xfd7zXZ\x00", Kind("xz", "xz 压缩文件", "an xz-compressed file")),
)


def head(path: Path) -> bytes:
    """The first :data:`HEAD_BYTES` of a file."""
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def control_heavy(chunk: bytes) -> bool:
    """Whether ``chunk`` holds NUL bytes, or more control bytes than any text would."""
    if b"\x00" in chunk:
        return True
    controls = len(chunk.translate(None, _NOT_CONTROL))
    return controls >= 3 and controls > len(chunk) * _CONTROL_SHARE


def sniff(first: bytes) -> Kind | None:
    """The format the first bytes show, :data:`BINARY` for unrecognised binary, None for text."""
    for magic, kind in SIGNATURES:
        if first.startswith(magic):
            return kind
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text: the encoding check names it
    return BINARY if control_heavy(first) else None


KINDS = {kind.code: kind for _, kind in SIGNATURES} | {k.code: k for k in (TEXT, BINARY)}


def _after(lead: str, noun: str) -> str:
    """Chinese ``lead`` then ``noun``, with a space before a noun that starts in Latin letters."""
    return f"{lead} {noun}" if noun[:1].isascii() else f"{lead}{noun}"


def empty(name: str) -> ContractError:
    return ContractError(tr(f"文件 {name} 是空文件；未导入。", f"File {name} is empty; nothing was loaded."))


def misnamed(name: str, kind: Kind, expected: str) -> ContractError:
    """The sentence for a file whose bytes are ``kind`` but whose name says ``expected``."""
    ending = name[name.index(".") :] if "." in name else ""
    if kind.suffix is not None:
        return ContractError(
            tr(
                f"文件 {name} {_after('实际是', kind.zh)}，只是扩展名为 {ending}；"
                f"请把扩展名改为 {kind.suffix}。",
                f"File {name} is really {kind.en} named {ending}; rename it to {kind.suffix}.",
            )
        )
    return ContractError(
        tr(
            f"文件 {name} {_after('实际是', kind.zh)}，{_after('不是', expected)}；"
            "请导出为 CSV（UTF-8）、xlsx 或 parquet 后重新导入。",
            f"File {name} is really {kind.en}, not {expected}; export it as CSV (UTF-8), xlsx or parquet "
            "and ingest again.",
        )
    )


def check_kind(path: Path, display: str, expected: Kind) -> None:
    """Refuse a file whose first bytes show another format than ``expected``.

    An empty file is refused as empty, whatever its name. (A CSV is checked by
    ``jiancha.ingest.encoding``, which reads every byte anyway.)
    """
    first = head(path)
    if not first:
        raise empty(display)
    found = sniff(first) or TEXT
    if found != expected:
        raise misnamed(display, found, tr(expected.zh, expected.en))


def truncated(name: str, kind: Kind, detail: str = "") -> ContractError:
    """The sentence for a file of the right format that ends early (cut off in a copy or transfer)."""
    more = f"（{detail}）" if detail else ""
    return ContractError(
        tr(
            f"文件 {name} 是{_after('不完整的', kind.zh)}{more}，可能在复制或传输中被截断；"
            "未导入，原有数据保留。请重新获取完整文件。",
            f"File {name} is {kind.en} that ends early{f' ({detail})' if detail else ''}, probably cut "
            "off in a copy or transfer; nothing was loaded and the previous data stays. "
            "Fetch the whole file again.",
        )
    )
