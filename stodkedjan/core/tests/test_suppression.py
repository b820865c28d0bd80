from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stodkedjan.core.suppression import suppress_count, suppress_table


def test_a_small_count_reads_fewer_than_the_minimum():
    with translation.override("sv"):
        assert str(suppress_count(4)) == "färre än 5"
    with translation.override("en"):
        assert str(suppress_count(4)) == "fewer than 5"
        assert str(suppress_count(2, min_size=3)) == "fewer than 3"
    assert suppress_count(4).value is None
    assert suppress_count(5).value == 5
    assert suppress_count(0).value == 0


def test_a_hidden_cell_cannot_be_worked_out_from_its_row_total():
    table = suppress_table([[10, 3, 12]], row_totals=[25], column_totals=[10, 3, 12], total=25)
    cells = table.cells[0]
    assert cells[1].reason == "small"
    # 25 - 10 - 12 would give 3 away: the smallest other cell is hidden too.
    assert cells[0].reason == "secondary"
    assert cells[2].value == 12
    assert table.row_totals[0].value == 25


def test_a_small_group_is_hidden_whole():
    table = suppress_table([[8, 2], [9, 1]], column_totals=[17, 3])
    assert [row[1].reason for row in table.cells] == ["small", "small"]
    assert table.column_totals[1].reason == "small"


counts = st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=5), min_size=1, max_size=5).filter(
    lambda rows: len({len(r) for r in rows}) == 1
)


@given(counts, st.integers(3, 10))
def test_no_line_with_a_total_ever_has_exactly_one_hidden_figure(rows, k):
    row_totals = [sum(r) for r in rows]
    column_totals = [sum(c) for c in zip(*rows, strict=True)]
    table = suppress_table(rows, k, row_totals=row_totals, column_totals=column_totals, total=sum(row_totals))
    for i, row in enumerate(table.cells):
        assert sum(f.hidden for f in [*row, table.row_totals[i]]) != 1
        for figure, value in zip(row, rows[i], strict=True):
            assert figure.hidden or (figure.value == value and (value >= k or value == 0))
    for j in range(len(column_totals)):
        assert sum(f.hidden for f in [*(r[j] for r in table.cells), table.column_totals[j]]) != 1
    assert table.total is not None
    assert sum(f.hidden for f in [*table.column_totals, table.total]) != 1
    assert sum(f.hidden for f in [*table.row_totals, table.total]) != 1
