"""The error codes of the loaders: stable snake_case names with English and Vietnamese text.

A code never changes meaning once published; new problems get new codes. Each code is
documented in ``docs/reference/error-codes.md`` (a test keeps that table in step with
`ERROR_CODES`).

Examples:
    >>> ERROR_CODES["impossible_date"].en
    'a date that does not exist in the calendar (31/02)'
    >>> ERROR_CODES["impossible_date"].vi
    'ngày không có trên lịch (31/02)'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, final

from attrs import frozen

__all__ = ["ERROR_CODES", "ErrorCode"]


@final
@frozen
class ErrorCode:
    """One kind of problem a loader reports.

    Attributes:
        code: the stable snake_case name, e.g. ``"impossible_date"``.
        scope: ``"file"`` when the whole file is refused, ``"row"`` when one row is.
        en: what the code means, in English.
        vi: what the code means, in Vietnamese.

    Examples:
        >>> ERROR_CODES["nul_byte"].scope
        'row'
    """

    code: str
    scope: str
    en: str
    vi: str


_TABLE: Final = (
    # -- the whole file ------------------------------------------------------------------
    ("file_not_found", "file", "the file does not exist", "không tìm thấy tệp"),
    ("empty_file", "file", "the file has no header row", "tệp trống, không có dòng tiêu đề"),
    (
        "bad_header",
        "file",
        "required columns are missing, or columns are unknown or repeated (all listed at once)",
        "thiếu cột bắt buộc, hoặc có cột không nhận ra hay bị lặp (liệt kê tất cả một lần)",
    ),
    (
        "unreadable_file",
        "file",
        "the file is not a workbook or a JSON document that can be read",
        "không đọc được tệp (không phải bảng tính hay JSON hợp lệ)",
    ),
    (
        "suspicious_archive",
        "file",
        "the workbook is too large or too compressed to open safely (a zip bomb)",
        "bảng tính quá lớn hoặc nén bất thường, không mở để bảo đảm an toàn",
    ),
    ("unknown_sheet", "file", "the workbook has no sheet of that name", "không có trang tính này"),
    (
        "several_sheets",
        "file",
        "the workbook has data on more than one sheet and none was named",
        "bảng tính có dữ liệu ở nhiều trang tính nhưng chưa chỉ rõ trang cần đọc",
    ),
    ("malformed_json", "file", "the JSON is malformed", "JSON sai cú pháp"),
    (
        "not_a_list",
        "file",
        "the JSON document is not a list of objects",
        "JSON không phải là một danh sách các đối tượng",
    ),
    # -- one row -------------------------------------------------------------------------
    (
        "invalid_encoding",
        "row",
        "bytes that are not valid in the file's encoding",
        "có byte không hợp lệ theo bảng mã của tệp",
    ),
    ("nul_byte", "row", "a NUL byte (\\x00) in the row", "dòng có byte NUL (\\x00)"),
    (
        "mojibake",
        "row",
        "UTF-8 text that was decoded with a legacy encoding (e.g. 'Ã' instead of 'à')",
        "chữ UTF-8 bị đọc sai bảng mã (ví dụ 'Ã' thay cho 'à')",
    ),
    ("malformed_csv", "row", "malformed CSV quoting", "dòng CSV sai dấu ngoặc kép"),
    (
        "malformed_json_line",
        "row",
        "a line of a JSON Lines file that is not valid JSON (or is too long)",
        "dòng của tệp JSON Lines sai cú pháp (hoặc quá dài)",
    ),
    (
        "too_few_cells",
        "row",
        "the row has fewer cells than the header",
        "dòng có ít ô hơn dòng tiêu đề",
    ),
    (
        "too_many_cells",
        "row",
        "the row has more cells than the header",
        "dòng có nhiều ô hơn dòng tiêu đề",
    ),
    (
        "not_an_object",
        "row",
        "a JSON item that is not an object",
        "phần tử JSON không phải đối tượng",
    ),
    ("missing_value", "row", "a required value is empty", "thiếu giá trị bắt buộc"),
    (
        "wrong_type",
        "row",
        "a value of the wrong type (a list, an object, true/false)",
        "giá trị sai kiểu (danh sách, đối tượng, đúng/sai)",
    ),
    (
        "formula_error",
        "row",
        "a spreadsheet error value such as #N/A or #VALUE!",
        "ô chứa lỗi công thức như #N/A hay #VALUE!",
    ),
    ("bad_date", "row", "a value that is not a date", "giá trị không phải ngày tháng"),
    (
        "impossible_date",
        "row",
        "a date that does not exist in the calendar (31/02)",
        "ngày không có trên lịch (31/02)",
    ),
    (
        "naive_timestamp",
        "row",
        "a time of day without a time zone: its Vietnamese day is unknown",
        "thời điểm không có múi giờ nên không xác định được ngày ở Việt Nam",
    ),
    (
        "excel_phantom_date",
        "row",
        "Excel serial 60, the 29/02/1900 that never existed",
        "số ngày Excel 60, tức 29/02/1900 không có thật",
    ),
    (
        "id_not_digits",
        "row",
        "a participant id with characters other than digits",
        "mã số người tham gia có ký tự không phải chữ số",
    ),
    (
        "id_wrong_length",
        "row",
        "a participant id that is neither 10 digits (BHXH) nor 12 (CCCD)",
        "mã số người tham gia không đủ 10 số (BHXH) hay 12 số (CCCD)",
    ),
    (
        "id_scientific_notation",
        "row",
        "a participant id that Excel wrote in scientific notation (1.09001E+11)",
        "mã số bị Excel chuyển sang dạng số mũ (1.09001E+11)",
    ),
    (
        "number_cell",
        "row",
        "an identifier or code stored as a number, which loses leading zeros",
        "mã số hay mã đơn vị lưu dạng số, mất số 0 ở đầu",
    ),
    ("bad_code", "row", "a unit code of the wrong shape", "mã đơn vị sai định dạng"),
    (
        "unknown_district",
        "row",
        "a district code that is not among the campaign's districts",
        "mã huyện không thuộc các huyện của chiến dịch",
    ),
    (
        "unknown_value",
        "row",
        "a value outside the allowed list",
        "giá trị không nằm trong danh mục",
    ),
    ("bad_number", "row", "a value that is not a whole number", "giá trị không phải số nguyên"),
    (
        "ambiguous_number",
        "row",
        "a number whose separators could mean thousands or decimals (1,928)",
        "số có dấu phân cách không rõ là hàng nghìn hay thập phân (1,928)",
    ),
    ("not_positive", "row", "a number that must be above zero", "số phải lớn hơn 0"),
    (
        "duplicate_record_id",
        "row",
        "a record_id seen earlier in the file",
        "mã hồ sơ đã xuất hiện ở dòng trước",
    ),
    (
        "duplicate_unit",
        "row",
        "a district or target seen earlier in the file",
        "đơn vị đã xuất hiện ở dòng trước",
    ),
    (
        "invalid_value",
        "row",
        "a value that breaks another rule of the model",
        "giá trị vi phạm quy tắc khác của dữ liệu",
    ),
)

ERROR_CODES: Final[Mapping[str, ErrorCode]] = MappingProxyType(
    {code: ErrorCode(code=code, scope=scope, en=en, vi=vi) for code, scope, en, vi in _TABLE}
)
"""Every error code, by name, in the order of the documentation table."""
