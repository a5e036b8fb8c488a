from councils.ids import record_id


def test_only_ascii_digits_name_a_record():
    assert record_id("42") == 42 and record_id(" 7 ") == 7 and record_id(3) == 3
    for text in ["", None, "²", "٣", "-1", "1.5", "4e2", "abc", str(2**63)]:
        assert record_id(text) is None, text
