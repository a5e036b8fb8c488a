"""Read parsed pages (BeautifulSoup) the way a person reads them: text, not markup.

Text is compared with its whitespace collapsed, so a test depends neither on how the
template is indented nor on how a character is escaped in the HTML.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


def normalise(text: str) -> str:
    return " ".join(text.split())


def text(element: Tag | None) -> str:
    """The element's text, whitespace collapsed; "" when there is no such element."""
    return "" if element is None else normalise(element.get_text())


def page_text(page: BeautifulSoup) -> str:
    """All the text of the page's body (or of the fragment, for htmx), visually hidden text too."""
    return text(page.body or page)


def heading(page: BeautifulSoup) -> str:
    return text(page.select_one("h1"))


def title(page: BeautifulSoup) -> str:
    return text(page.select_one("title"))


def error_summary(page: BeautifulSoup) -> list[str]:
    """The messages listed in the GOV.UK error summary ([] when the page has none)."""
    return [text(item) for item in page.select(".govuk-error-summary__list li")]


def field_error(page: BeautifulSoup, field_id: str) -> tuple[list[tuple[str, str]], str]:
    """How a field's error shows: the error summary's links (text and target) and the error
    message inside the field's own form group ("" when it has none)."""
    links = [(text(a), a.get("href", "")) for a in page.select(".govuk-error-summary__list a")]
    field = page.select_one(f"#{field_id}")
    assert field is not None, f"the page has no field #{field_id}"
    # The nearest group that holds a message: a field of grouped boxes has its message on
    # the group of groups.
    messages = [m for g in field.find_parents(class_="govuk-form-group") for m in g.select(".govuk-error-message")]
    return links, text(messages[0]).removeprefix("Error:").strip() if messages else ""


def banners(page: BeautifulSoup) -> list[str]:
    """The text of each notification banner (success or important) on the page."""
    return [text(content) for content in page.select(".govuk-notification-banner__content")]


def table_rows(page: BeautifulSoup | Tag, caption: str | None = None) -> list[list[str]]:
    """The body rows of the first table (or the one with this caption), each as its cells' text."""
    tables = [t for t in page.select("table") if caption is None or text(t.caption) == caption]
    assert tables, f"no table has the caption {caption!r}" if caption else "the page has no table"
    rows = tables[0].select("tbody tr") or tables[0].select("tr")[1:]
    return [[text(cell) for cell in row.find_all(["th", "td"], recursive=False)] for row in rows]


def section(page: BeautifulSoup | Tag, heading_text: str) -> list[Tag]:
    """The elements after the heading with this text, up to the next heading of its level."""
    found = [h for h in page.select("h1, h2, h3, h4") if text(h) == heading_text]
    assert len(found) == 1, f"{len(found)} headings read {heading_text!r}"
    heading_tag = found[0]
    elements = []
    for sibling in heading_tag.find_next_siblings():
        if sibling.name == heading_tag.name:
            break
        elements.append(sibling)
    return elements


def section_text(page: BeautifulSoup | Tag, heading_text: str) -> str:
    return " ".join(text(element) for element in section(page, heading_text))


def summary_list(page: BeautifulSoup | Tag, selector: str = ".govuk-summary-list") -> dict[str, str]:
    """The first GOV.UK summary list matching `selector` (or `page` itself if it is one), as {key: value}."""
    found = page if page.name == "dl" else page.select_one(selector)
    assert found is not None, f"no summary list matches {selector!r}"
    return {
        text(row.select_one(".govuk-summary-list__key")): text(row.select_one(".govuk-summary-list__value"))
        for row in found.select(".govuk-summary-list__row")
    }


def card_titles(page: BeautifulSoup | Tag) -> list[str]:
    """The title of each GOV.UK summary card, in page order (a gap list's gaps, for one)."""
    return [text(card_title) for card_title in page.select(".govuk-summary-card__title")]


def navigation(page: BeautifulSoup) -> list[str]:
    """The links of the service navigation, as their text."""
    return [text(link) for link in page.select(".govuk-service-navigation__list a")]


def source(page: BeautifulSoup) -> str:
    """The whole page re-serialised, head, markup and attribute values too: for checks that
    something appears nowhere in it. Quotes come out unescaped, so only <, > and & differ."""
    return str(page)


def form_values(form: Tag) -> dict[str, list[str]]:
    """What the form would send as it stands, as a browser would send it: text and hidden
    inputs, ticked boxes and radios, chosen options, text areas (the submit button aside)."""
    values: dict[str, list[str]] = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name, kind = field["name"], field.get("type", "text")
        if field.name == "select":
            chosen = field.select("option[selected]") or field.select("option")[:1]
            values.setdefault(name, []).extend(option.get("value", text(option)) for option in chosen)
        elif field.name == "textarea":
            values.setdefault(name, []).append(field.get_text())
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field.get("value", "on"))
        elif kind != "submit":
            values.setdefault(name, []).append(field.get("value", ""))
    return values
