import pytest
from django.utils import translation
from lxml import etree
from lxml import html as lxml_html
from wagtail.blocks import StructBlockValidationError

from newsroom import charts
from newsroom.blocks import DataChartBlock
from tests.helpers import host, make_article, path

# Nothing here can differ on PostgreSQL + Redis (a chart rendered): CI runs it once,
# on the embedded defaults (README, Tests).
pytestmark = pytest.mark.once

SVG = "{http://www.w3.org/2000/svg}"

BUDGET_CSV = """Năm,Thu ngân sách (nghìn tỷ),Chi ngân sách (nghìn tỷ)
2023,"1.752,4","2.076,2"
2024,"2.025,3","2.119,6"
2025,"1.966,8",
"""


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567),
        ("1.234", 1234),  # Vietnamese thousands separator
        ("2,5", 2.5),  # Vietnamese decimal comma
        ("2,125", 2.125),  # ambiguous: the Vietnamese reading wins
        ("1,234,567", 1234567),
        ("1,234.5", 1234.5),
        ("2.5", 2.5),
        ("0.125", 0.125),
        ("1234.567", 1234.567),
        ("12,5%", 12.5),
        ("−3,2", -3.2),
        (" 1 234 ", 1234),
        ("", None),
    ],
)
def test_numbers_in_vietnamese_and_english_formats(cell, value):
    data = charts.parse_csv(f"Nhãn,Giá trị\nA,\"{cell}\"")
    assert data.series == [("Giá trị", [value])]


def test_parse_csv_reads_labels_and_series():
    data = charts.parse_csv(BUDGET_CSV)
    assert data.labels == ["2023", "2024", "2025"]
    assert data.series == [
        ("Thu ngân sách (nghìn tỷ)", [1752.4, 2025.3, 1966.8]),
        ("Chi ngân sách (nghìn tỷ)", [2076.2, 2119.6, None]),
    ]
    assert (data.min_value, data.max_value) == (0, 2119.6)


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("", "The CSV needs a header row and at least one data row."),
        ("Năm,Giá trị", "The CSV needs a header row and at least one data row."),
        ("Năm\n2024", "The CSV needs a label column and at least one number column."),
        ("Năm,Giá trị\n2024,10\n2025,11,12", "Row 3 has 3 columns; the header has 2."),
        ("Năm,Giá trị\n2024,mười", 'Row 2, column "Giá trị": "mười" is not a number.'),
        ("Năm,Giá trị\n2024,\"1,2,3\"", 'Row 2, column "Giá trị": "1,2,3" is not a number.'),
        ("Năm,Giá trị\n2024,inf", 'Row 2, column "Giá trị": "inf" is not a number.'),
        ("Năm,Giá trị\n" + "x,1\n" * (charts.MAX_ROWS + 1), f"A chart can show at most {charts.MAX_ROWS} rows."),
    ],
)
def test_bad_csv_gets_a_clear_error(csv_text, message):
    with translation.override("en"), pytest.raises(charts.ChartDataError) as error:
        charts.parse_csv(csv_text)
    assert str(error.value) == message


def test_chart_block_refuses_bad_data_with_the_message_on_the_data_field():
    block = DataChartBlock()
    value = block.to_python({"title": "Thu chi", "chart_type": "bar", "data": "Năm,Thu\n2024,nhiều", "source": ""})
    with translation.override("en"), pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert list(error.value.block_errors) == ["data"]
    assert error.value.block_errors["data"].messages == ['Row 2, column "Thu": "nhiều" is not a number.']

    good = block.to_python({"title": "Thu chi", "chart_type": "bar", "data": BUDGET_CSV, "source": "Bộ Tài chính"})
    assert block.clean(good)["data"] == BUDGET_CSV.strip()


def _bars(svg):
    root = etree.fromstring(svg.encode())
    # Legend swatches are rects too; data bars carry a <title> tooltip.
    return root, [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_bar_chart_svg_has_one_bar_per_value():
    data = charts.parse_csv(BUDGET_CSV)
    root, bars = _bars(charts.render_svg(data, "bar", 'Thu & chi "ngân sách"'))
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Thu & chi "ngân sách"'
    assert len(bars) == 5  # six cells, one empty
    assert bars[0].find(f"{SVG}title").text == "2023 – Thu ngân sách (nghìn tỷ): 1.752,40"
    heights = {bar.find(f"{SVG}title").text: float(bar.get("height")) for bar in bars}
    assert heights["2024 – Chi ngân sách (nghìn tỷ): 2.119,60"] > heights["2023 – Thu ngân sách (nghìn tỷ): 1.752,40"]


def test_negative_values_grow_down_from_zero():
    data = charts.parse_csv("Quý,Tăng trưởng\nI,5\nII,-5")
    _root, bars = _bars(charts.render_svg(data, "bar", "Tăng trưởng"))
    up, down = bars
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(float(down.get("y")))
    assert float(up.get("height")) == pytest.approx(float(down.get("height")))


def test_line_chart_svg_has_one_point_per_value():
    data = charts.parse_csv(BUDGET_CSV)
    root = etree.fromstring(charts.render_svg(data, "line", "Thu chi").encode())
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 5


@pytest.mark.django_db
def test_article_shows_the_chart_and_its_data_table(client, newsroom):
    finance = newsroom.finance
    article = make_article(
        finance.finance,
        title="Thu chi ngân sách ba năm",
        body=[("chart", {"title": "Thu chi ngân sách", "chart_type": "bar", "data": BUDGET_CSV, "source": "Bộ Tài chính"})],
    )
    response = client.get(path(article), **host(finance.unit))
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    figure = doc.xpath("//figure[.//*[local-name()='svg']]")
    assert len(figure) == 1
    bars = figure[0].xpath(".//*[local-name()='rect'][*[local-name()='title']]")
    assert len(bars) == 5
    cells = [td.text_content().strip() for td in figure[0].xpath(".//table/tbody//td")]
    assert cells == ["1.752,40", "2.076,20", "2.025,30", "2.119,60", "1.966,80", "–"]
