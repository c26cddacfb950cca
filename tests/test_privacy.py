import io
import logging

import pytest

from bot.privacy import MaskingFilter, mask_text

pytestmark = pytest.mark.unit


def test_phones_and_ids_are_masked():
    text = "我叫张三，电话13812345678，身份证110101199003071234，座机023-63801234"
    masked = mask_text(text)
    assert "13812345678" not in masked and "138****5678" in masked
    assert "110101199003071234" not in masked and "110101********1234" in masked
    assert "63801234" not in masked


def test_log_records_are_masked():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "用户 %s 说了话", ("13812345678",), None)
    MaskingFilter().filter(record)
    assert "13812345678" not in record.getMessage()


@pytest.mark.parametrize(
    "written, hidden, shown",
    [
        ("+86 138 1234 5678", "1234", "138****5678"),
        ("+8613812345678", "13812345678", "138****5678"),
        ("008613812345678", "13812345678", "138****5678"),
        ("电话：＋８６ １３８ １２３４ ５６７８", "１２３４", "138****5678"),  # full-width
        ("１３８１２３４５６７８", "１２３４", "138****5678"),
        ("138.1234.5678", "1234", "138****5678"),
        ("138-1234-5678", "-1234-", "138****5678"),
        ("旧身份证110101900307123", "900307", "110101******123"),  # 15-digit ID card
        ("身份证11010119900307123X", "19900307", "110101********123X"),
        ("卡号6222 0212 3456 7890 123", "0212 3456", "***************0123"),  # 19-digit bank card
        ("卡号6222021234567890", "02123456", "************7890"),
        ("座机0571-88881234", "8888", "0571-****1234"),
    ],
)
def test_phones_ids_and_cards_however_written(written, hidden, shown):
    masked = mask_text(written)
    assert hidden not in masked and shown in masked


def test_dates_amounts_and_case_numbers_stay():
    text = "GY20261123-0042 于 2026-11-30 12:55:12 登记，欠薪80000元，16人，时间戳1701234567.123"
    assert mask_text(text) == text


def test_tracebacks_are_masked():
    """An exception's text often quotes the value it failed on; the traceback leaves masked."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("gongyou.test.traceback")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("bad phone 13812345678 for id 110101199003071234")
        except ValueError:
            logger.exception("could not save the case of %s", "张三")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "ValueError" in written and "Traceback" in written
    assert "13812345678" not in written and "110101199003071234" not in written
    assert "138****5678" in written


def test_database_errors_do_not_quote_the_values(tmp_path):
    """hide_parameters: a failed INSERT's message names the statement, not the phone it carried."""
    from sqlalchemy import text

    from bot.storage.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (phone TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO t VALUES (:p)"), {"p": "13812345678"})
    with pytest.raises(Exception) as failure:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:p)"), {"p": "13812345678"})
    assert "UNIQUE" in str(failure.value) and "13812345678" not in str(failure.value)


def test_postgres_engine_has_timeouts_and_hides_parameters():
    """Against the machine's PostgreSQL: statement_timeout is set on every connection."""
    from sqlalchemy import text

    from bot.storage.engine import make_engine
    from tests.services import PG

    engine = make_engine(f"{PG}/postgres")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        assert engine.hide_parameters
    finally:
        engine.dispose()
