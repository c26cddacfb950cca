import logging

from bot.privacy import MaskingFilter, mask_text


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
