"""The headings and tables of an HTML page, to preview a published page in
the terminal as the reader will see its content."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Table:
    heading: str
    rows: list[list[str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.tables: list[Table] = []
        self._heading = ""
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2"):
            self._in_heading = True
            self._heading = ""
        elif tag == "table":
            self.tables.append(Table(self._heading))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2"):
            self._in_heading = False
            if tag == "h1":
                self.title = self._heading
        elif tag in ("td", "th") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self._heading += data
        elif self._text is not None:
            self._text.append(data)


def read_tables(page: str) -> tuple[str, list[Table]]:
    """The page's title (its h1) and every table under its heading."""
    reader = _Reader()
    reader.feed(page)
    return reader.title, reader.tables
