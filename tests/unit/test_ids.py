from councils.ids import record_id


def test_only_ascii_digits_name_a_record():
    assert record_id("42") == 42 and record_id(" 7 ") == 7 and record_id(3) == 3
    for text in ["", None, "²", "٣", "-1", "1.5", "4e2", "abc", str(2**63), str(2**31), "99999999999999999999"]:
        assert record_id(text) is None, text


def test_the_largest_id_is_the_largest_the_integer_column_holds():
    assert record_id(str(2**31 - 1)) == 2**31 - 1
    assert record_id(str(2**31)) is None
