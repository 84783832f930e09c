"""Tests for `bhxh_campaign.model`: the domain value types and their enums."""

from __future__ import annotations

import datetime as dt
import pickle
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import (
    NATIONAL,
    Campaign,
    Commune,
    District,
    EnrollmentRecord,
    InvalidValueError,
    Measure,
    PaymentMethod,
    Province,
    Target,
    UnitKind,
)
from bhxh_campaign.model import TargetVersion
from bhxh_campaign.strategies import (
    campaigns,
    district_codes,
    districts,
    enrollment_records,
    participant_ids,
    province_codes,
    targets,
)

UTC = dt.UTC
NFC_NAME = "Yên Dũng"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
MAY_18 = dt.date(2023, 5, 18)

DISTRICT = District(code="221", name=NFC_NAME, kind=UnitKind.HUYEN, province_code="24")
PROVINCE = Province(code="24", name="Bắc Giang")
CAMPAIGN = Campaign(
    id="bg-2023-05",
    name="Tháng cao điểm",
    scope="24",
    start=dt.date(2023, 5, 1),
    end=dt.date(2023, 5, 31),
)
TARGET = Target(unit_code="221", campaign_id="bg-2023-05", value=285)
RECORD = EnrollmentRecord(
    record_id="r1", participant_id="2412345678", district_code="221", enrolled_on=MAY_18
)

provinces = st.builds(
    Province, code=province_codes(), name=st.sampled_from(["Bắc Giang", "Hà Nội", "Đắk Lắk"])
)


def _refused(
    make: Any, field: str, message: str, /, *args: Any, **kwargs: Any
) -> InvalidValueError:
    """Call ``make(*args, **kwargs)``, expecting an InvalidValueError naming ``field``."""
    with pytest.raises(InvalidValueError, match=message) as info:
        make(*args, **kwargs)
    assert info.value.field == field
    assert field in str(info.value)
    return info.value


def _roundtrip(value: object) -> object:
    return pickle.loads(pickle.dumps(value))


class TestUnitKind:
    @pytest.mark.parametrize(
        ("kind", "vi", "en"),
        [
            (UnitKind.THANH_PHO, "thành phố", "city"),
            (UnitKind.THI_XA, "thị xã", "town"),
            (UnitKind.HUYEN, "huyện", "district"),
            (UnitKind.QUAN, "quận", "urban district"),
        ],
    )
    def test_labels(self, kind: UnitKind, vi: str, en: str) -> None:
        """Each kind has its Vietnamese and English word."""
        assert kind.label_vi == vi
        assert kind.label_en == en

    def test_labels_are_nfc(self) -> None:
        """The Vietnamese labels are composed (NFC) text."""
        for kind in UnitKind:
            assert unicodedata.is_normalized("NFC", kind.label_vi)

    def test_values(self) -> None:
        """The values are the ASCII slugs used in files, district and commune kinds."""
        assert {k.value for k in UnitKind} == {
            "thanh_pho",
            "thi_xa",
            "huyen",
            "quan",
            "xa",
            "phuong",
            "dac_khu",
            "thi_tran",
        }

    def test_kind_of_the_other_level(self) -> None:
        """A commune kind is refused for a District, and a district kind for a Commune."""
        _refused(
            District,
            "kind",
            r"^kind 'xa' is not a district-level kind; a District is one of 'thanh_pho',"
            r" 'thi_xa', 'huyen', 'quan'$",
            code="221",
            name="X",
            kind="xa",
            province_code="24",
        )
        _refused(
            Commune,
            "kind",
            r"^kind 'huyen' is not a commune-level kind",
            code="07210",
            name="X",
            kind="huyen",
            province_code="24",
        )


class TestMeasure:
    def test_new_is_a_flow(self) -> None:
        """New participants add up over days."""
        assert Measure.NEW.is_flow is True

    def test_stock_is_not_a_flow(self) -> None:
        """A stock is a level on a date."""
        assert Measure.STOCK.is_flow is False

    def test_values(self) -> None:
        """The values are 'new' and 'stock'."""
        assert Measure("new") is Measure.NEW
        assert Measure("stock") is Measure.STOCK
        assert len(Measure) == 2


class TestPaymentMethod:
    def test_values(self) -> None:
        """The six payment methods of voluntary social insurance, by value."""
        assert [m.value for m in PaymentMethod] == [
            "monthly",
            "quarterly",
            "semiannual",
            "annual",
            "lump_sum_future",
            "lump_sum_past",
        ]

    def test_lookup_by_value(self) -> None:
        """A member is found from its value."""
        assert PaymentMethod("lump_sum_past") is PaymentMethod.LUMP_SUM_PAST


class TestProvince:
    def test_normalises(self) -> None:
        """Code and name are stripped, the name NFC-normalised."""
        decomposed = unicodedata.normalize("NFD", " Bắc Giang ")
        assert Province(code=" 24 ", name=decomposed) == PROVINCE

    def test_frozen(self) -> None:
        """Assigning to a field raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            PROVINCE.code = "25"  # type: ignore[misc]

    @given(provinces)
    def test_equal_values_hash_equal(self, province: Province) -> None:
        """An equal copy has the same hash."""
        copy = Province(code=province.code, name=province.name)
        assert copy == province
        assert hash(copy) == hash(province)

    @given(provinces)
    def test_pickle_roundtrip(self, province: Province) -> None:
        """Pickling keeps the value."""
        assert _roundtrip(province) == province

    @pytest.mark.parametrize("code", ["2", "245", "2a", "", 24])
    def test_code_must_be_two_digits(self, code: Any) -> None:
        """A province code is exactly two ASCII digits."""
        _refused(Province, "code", r"^code must ", code=code, name="Bắc Giang")

    def test_name_must_not_be_blank(self) -> None:
        """A blank name is refused."""
        _refused(Province, "name", "^name must not be empty$", code="24", name="  ")

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve runs the validators again."""
        _refused(attrs.evolve, "code", "code must be 2 digits", PROVINCE, code="241")


class TestDistrict:
    def test_nfd_name_equals_nfc(self) -> None:
        """A decomposed (NFD) name is stored composed and compares equal."""
        assert NFD_NAME != NFC_NAME
        district = District(code="221", name=NFD_NAME, kind="huyen", province_code="24")
        assert district.name == NFC_NAME
        assert district == DISTRICT
        assert hash(district) == hash(DISTRICT)

    def test_strips(self) -> None:
        """Codes, name and kind are stripped of surrounding white space."""
        district = District(code=" 221 ", name=" Yên Dũng\t", kind=" huyen ", province_code="24 ")
        assert district == DISTRICT

    def test_kind_from_value(self) -> None:
        """The kind can be given by its value."""
        assert District(code="221", name="X", kind="quan", province_code="01").kind is UnitKind.QUAN

    def test_frozen(self) -> None:
        """Assigning to a field raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            DISTRICT.name = "Bắc Giang"  # type: ignore[misc]

    @given(districts())
    def test_equal_values_hash_equal(self, district: District) -> None:
        """An equal copy has the same hash."""
        copy = attrs.evolve(district)
        assert copy is not district
        assert copy == district
        assert hash(copy) == hash(district)

    @given(districts())
    def test_pickle_roundtrip(self, district: District) -> None:
        """Pickling keeps the value and the hash."""
        copy = _roundtrip(district)
        assert copy == district
        assert hash(copy) == hash(district)

    @pytest.mark.parametrize("code", ["22", "2210", "2a1", "", "２２１", 221])
    def test_code_must_be_three_digits(self, code: Any) -> None:
        """A district code is exactly three ASCII digits."""
        _refused(
            District, "code", r"^code must ", code=code, name="X", kind="huyen", province_code="24"
        )

    @pytest.mark.parametrize("code", ["2", "245", "b2"])
    def test_province_code_must_be_two_digits(self, code: str) -> None:
        """The province code is exactly two digits."""
        _refused(
            District,
            "province_code",
            r"^province_code must be 2 digits, got ",
            code="221",
            name="X",
            kind="huyen",
            province_code=code,
        )

    def test_unknown_kind(self) -> None:
        """An unknown kind is refused, listing the allowed values."""
        _refused(
            District,
            "kind",
            r"^kind must be one of 'thanh_pho', 'thi_xa', 'huyen', 'quan', 'xa', 'phuong',"
            r" 'dac_khu', 'thi_tran', got 'tinh'$",
            code="221",
            name="X",
            kind="tinh",
            province_code="24",
        )

    def test_blank_name(self) -> None:
        """A blank name is refused."""
        _refused(attrs.evolve, "name", "^name must not be empty$", DISTRICT, name=" ")

    def test_kind_none_refused(self) -> None:
        """The kind is required: None is refused, not stored (full_name_vi would crash)."""
        _refused(
            District,
            "kind",
            "^kind must be one of ",
            code="221",
            name="X",
            kind=None,
            province_code="24",
        )

    def test_valid_to_before_valid_from(self) -> None:
        """A unit cannot end before it starts."""
        _refused(
            attrs.evolve,
            "valid_to",
            r"^valid_to must not be before valid_from",
            DISTRICT,
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2024, 12, 31),
        )

    def test_one_day_validity(self) -> None:
        """valid_from == valid_to is a one-day unit, both ends inclusive."""
        day = dt.date(2024, 12, 31)
        district = attrs.evolve(DISTRICT, valid_from=day, valid_to=day)
        assert district.is_valid_on(day)
        assert not district.is_valid_on(day + dt.timedelta(days=1))
        assert not district.is_valid_on(day - dt.timedelta(days=1))

    def test_is_valid_on_open_ends(self) -> None:
        """None on either end means open."""
        district = attrs.evolve(DISTRICT, valid_to=dt.date(2024, 12, 31))
        assert district.is_valid_on(dt.date(1990, 1, 1))
        assert district.is_valid_on(dt.date(2024, 12, 31))
        assert not district.is_valid_on(dt.date(2025, 1, 1))
        assert DISTRICT.is_valid_on(dt.date(2099, 1, 1))

    def test_naive_datetime_validity_refused(self) -> None:
        """A naive datetime has no Vietnamese day."""
        _refused(
            attrs.evolve,
            "valid_from",
            "^valid_from must be a date; a naive datetime",
            DISTRICT,
            valid_from=dt.datetime(2023, 5, 18, 20),  # noqa: DTZ001
        )

    def test_aware_datetime_validity_converted(self) -> None:
        """An aware datetime becomes Vietnam's day."""
        district = attrs.evolve(DISTRICT, valid_to=dt.datetime(2024, 12, 31, 18, tzinfo=UTC))
        assert district.valid_to == dt.date(2025, 1, 1)

    def test_full_name_vi(self) -> None:
        """The Vietnamese full name puts the kind first."""
        assert DISTRICT.full_name_vi == "huyện Yên Dũng"
        assert attrs.evolve(DISTRICT, kind="thanh_pho").full_name_vi == "thành phố Yên Dũng"

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve runs the validators again."""
        _refused(
            attrs.evolve,
            "code",
            "^code must be 3 digits \\(a district-level code\\), got '2210'$",
            DISTRICT,
            code="2210",
        )


class TestCampaign:
    def test_frozen(self) -> None:
        """Assigning to a field raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            CAMPAIGN.end = dt.date(2023, 6, 30)  # type: ignore[misc]

    @given(campaigns())
    def test_equal_values_hash_equal(self, campaign: Campaign) -> None:
        """An equal copy has the same hash."""
        copy = attrs.evolve(campaign)
        assert copy == campaign
        assert hash(copy) == hash(campaign)

    @given(campaigns())
    def test_pickle_roundtrip(self, campaign: Campaign) -> None:
        """Pickling keeps the value and the hash."""
        copy = _roundtrip(campaign)
        assert copy == campaign
        assert hash(copy) == hash(campaign)

    def test_nfd_name_equals_nfc(self) -> None:
        """Names are stored NFC, so NFD input compares equal."""
        nfd = attrs.evolve(CAMPAIGN, name=unicodedata.normalize("NFD", CAMPAIGN.name))
        assert nfd == CAMPAIGN
        assert nfd.name == "Tháng cao điểm"

    def test_strips(self) -> None:
        """id, name and scope are stripped."""
        assert attrs.evolve(CAMPAIGN, id=" bg-2023-05 ", name=" Tháng cao điểm ", scope=" 24 ") == (
            CAMPAIGN
        )

    @pytest.mark.parametrize("scope", ["national", "NATIONAL", " National ", "nAtIoNaL"])
    def test_national_scope_is_case_folded(self, scope: str) -> None:
        """Any casing of 'national' is the national scope."""
        campaign = attrs.evolve(CAMPAIGN, scope=scope)
        assert campaign.scope == NATIONAL
        assert campaign.is_national

    def test_province_scope_is_not_national(self) -> None:
        """A province code scope is not national."""
        assert CAMPAIGN.scope == "24"
        assert not CAMPAIGN.is_national

    @pytest.mark.parametrize("scope", ["2", "245", "nationale", "toàn quốc", "", 24])
    def test_bad_scope(self, scope: Any) -> None:
        """The scope is a two-digit province code or 'national'."""
        _refused(attrs.evolve, "scope", "^scope must ", CAMPAIGN, scope=scope)

    def test_end_before_start(self) -> None:
        """A campaign cannot end before it starts."""
        _refused(
            attrs.evolve,
            "end",
            r"^end must not be before start, got start=2023-05-01 and end=2023-04-30$",
            CAMPAIGN,
            end=dt.date(2023, 4, 30),
        )

    def test_one_day_campaign(self) -> None:
        """start == end is a one-day campaign."""
        campaign = attrs.evolve(CAMPAIGN, end=CAMPAIGN.start)
        assert campaign.days == 1
        assert campaign.contains(CAMPAIGN.start)

    def test_days_and_contains(self) -> None:
        """Both ends are included."""
        assert CAMPAIGN.days == 31
        assert CAMPAIGN.contains(dt.date(2023, 5, 1))
        assert CAMPAIGN.contains(dt.date(2023, 5, 31))
        assert not CAMPAIGN.contains(dt.date(2023, 4, 30))
        assert not CAMPAIGN.contains(dt.date(2023, 6, 1))

    @given(campaigns())
    def test_days_matches_contains(self, campaign: Campaign) -> None:
        """`days` counts exactly the days `contains` accepts around the campaign."""
        span = range(-3, campaign.days + 3)
        inside = [campaign.contains(campaign.start + dt.timedelta(days=i)) for i in span]
        assert sum(inside) == campaign.days

    def test_naive_datetime_start_refused(self) -> None:
        """A naive datetime has no Vietnamese day."""
        _refused(
            attrs.evolve,
            "start",
            "^start must be a date; a naive datetime",
            CAMPAIGN,
            start=dt.datetime(2023, 5, 1),  # noqa: DTZ001
        )

    def test_aware_datetime_start_converted(self) -> None:
        """An aware datetime becomes Vietnam's day."""
        campaign = attrs.evolve(CAMPAIGN, start=dt.datetime(2023, 4, 30, 17, tzinfo=UTC))
        assert campaign.start == dt.date(2023, 5, 1)

    def test_measure_default_and_value(self) -> None:
        """The measure defaults to new participants and can be given by value."""
        assert CAMPAIGN.measure is Measure.NEW
        assert attrs.evolve(CAMPAIGN, measure="stock").measure is Measure.STOCK

    @pytest.mark.parametrize("name", ["start", "end"])
    def test_missing_day_refused(self, name: str) -> None:
        """start and end are required days: None is an InvalidValueError naming the field."""
        _refused(attrs.evolve, name, f"^{name} must be a date", CAMPAIGN, **{name: None})

    def test_measure_none_refused(self) -> None:
        """An explicit None measure is refused, not stored."""
        _refused(attrs.evolve, "measure", "^measure must be one of ", CAMPAIGN, measure=None)

    def test_bad_measure(self) -> None:
        """An unknown measure is refused."""
        _refused(
            attrs.evolve,
            "measure",
            "^measure must be one of 'new', 'stock'",
            CAMPAIGN,
            measure="flow",
        )

    @pytest.mark.parametrize("name", ["id", "name"])
    def test_blank_text_refused(self, name: str) -> None:
        """id and name must not be blank."""
        _refused(attrs.evolve, name, f"^{name} must not be empty$", CAMPAIGN, **{name: "  "})

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve runs the cross-field validator again."""
        _refused(
            attrs.evolve,
            "end",
            "^end must not be before start",
            CAMPAIGN,
            start=dt.date(2023, 6, 1),
        )


class TestTarget:
    def test_frozen(self) -> None:
        """Assigning to a field raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            TARGET.value = 300  # type: ignore[misc]

    @given(targets())
    def test_equal_values_hash_equal(self, target: Target) -> None:
        """An equal copy has the same hash."""
        copy = attrs.evolve(target)
        assert copy == target
        assert hash(copy) == hash(target)

    @given(targets())
    def test_pickle_roundtrip(self, target: Target) -> None:
        """Pickling keeps the value and the hash."""
        copy = _roundtrip(target)
        assert copy == target
        assert hash(copy) == hash(target)

    @pytest.mark.parametrize("value", [0, -1, True, 1.5, "285", None])
    def test_value_must_be_a_positive_whole_number(self, value: Any) -> None:
        """Zero, negatives, bools and fractions are refused."""
        _refused(
            attrs.evolve,
            "value",
            rf"^value must be a whole number above zero, got {value!r}$",
            TARGET,
            value=value,
        )

    @pytest.mark.parametrize("code", ["2", "2210", "2x1", ""])
    def test_unit_code_two_or_three_digits(self, code: str) -> None:
        """A target's unit is a province (2 digits) or a district (3 digits)."""
        _refused(attrs.evolve, "unit_code", "^unit_code must ", TARGET, unit_code=code)

    def test_is_district(self) -> None:
        """Three digits is a district, two a province."""
        assert TARGET.is_district
        assert not attrs.evolve(TARGET, unit_code="24").is_district

    def test_strips(self) -> None:
        """Codes and campaign id are stripped."""
        assert Target(unit_code=" 221 ", campaign_id=" bg-2023-05 ", value=285) == TARGET

    def test_measure_none_refused(self) -> None:
        """An explicit None measure is refused, not stored."""
        _refused(attrs.evolve, "measure", "^measure must be one of ", TARGET, measure=None)

    def test_measure_by_value(self) -> None:
        """The measure can be given by its value and defaults to new participants."""
        assert TARGET.measure is Measure.NEW
        assert attrs.evolve(TARGET, measure="stock").measure is Measure.STOCK

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve runs the validators again."""
        _refused(attrs.evolve, "value", "^value must be a whole number above zero", TARGET, value=0)

    def test_version_defaults_to_original(self) -> None:
        """A target is the original plan, in force from the start, unless told otherwise."""
        assert TARGET.version is TargetVersion.ORIGINAL
        assert TARGET.effective_from is None
        assert TARGET.is_in_force_on(dt.date.min)

    def test_supplemented_from_a_day(self) -> None:
        """A supplemented target is in force from its day on, both given by value."""
        revised = attrs.evolve(TARGET, version=" supplemented ", effective_from=MAY_18)
        assert revised.version is TargetVersion.SUPPLEMENTED
        assert not revised.is_in_force_on(dt.date(2023, 5, 17))
        assert revised.is_in_force_on(MAY_18)

    @pytest.mark.parametrize("version", [None, "revised", 1])
    def test_bad_version_refused(self, version: Any) -> None:
        """Only 'original' and 'supplemented' are versions."""
        _refused(attrs.evolve, "version", "^version must be one of ", TARGET, version=version)

    @pytest.mark.parametrize("day", ["2023-05-18", dt.datetime(2023, 5, 18, 8)])  # noqa: DTZ001
    def test_bad_effective_from_refused(self, day: Any) -> None:
        """effective_from is a day: text and naive datetimes are refused."""
        _refused(attrs.evolve, "effective_from", "^effective_from must be a date", TARGET,
                 effective_from=day)  # fmt: skip


class TestEnrollmentRecord:
    def test_frozen(self) -> None:
        """Assigning to a field raises FrozenInstanceError."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            RECORD.participant_id = "2400000000"  # type: ignore[misc]

    @given(enrollment_records())
    def test_equal_values_hash_equal(self, record: EnrollmentRecord) -> None:
        """An equal copy has the same hash."""
        copy = attrs.evolve(record)
        assert copy == record
        assert hash(copy) == hash(record)

    @given(enrollment_records())
    def test_pickle_roundtrip(self, record: EnrollmentRecord) -> None:
        """Pickling keeps the value, the hash and the full identifier."""
        copy = _roundtrip(record)
        assert copy == record
        assert hash(copy) == hash(record)
        assert isinstance(copy, EnrollmentRecord)
        assert copy.participant_id == record.participant_id

    def test_leading_zeros_kept(self) -> None:
        """The identifier stays text, so leading zeros survive."""
        record = attrs.evolve(RECORD, participant_id="0012345678")
        assert record.participant_id == "0012345678"

    def test_strips(self) -> None:
        """Identifiers and codes are stripped of surrounding white space."""
        record = EnrollmentRecord(
            record_id=" r1 ",
            participant_id=" 2412345678\n",
            district_code=" 221",
            enrolled_on=MAY_18,
            commune_code=" 07210 ",
            payment_method=" annual ",
        )
        assert record == attrs.evolve(
            RECORD, commune_code="07210", payment_method=PaymentMethod.ANNUAL
        )

    def test_twelve_digit_citizen_id(self) -> None:
        """A 12-digit citizen id is accepted."""
        assert attrs.evolve(RECORD, participant_id="024195012345").participant_id == "024195012345"

    @pytest.mark.parametrize("pid", ["241234567", "24123456789", "2412345678901"])
    def test_participant_id_length(self, pid: str) -> None:
        """Only 10 or 12 digits are participant ids; 9, 11 and 13 are refused."""
        error = _refused(
            attrs.evolve,
            "participant_id",
            rf"^participant_id must be a 10-digit .* 12-digit citizen id, got {len(pid)} digits",
            RECORD,
            participant_id=pid,
        )
        assert pid not in str(error)

    @pytest.mark.parametrize(
        "pid", ["24123456A8", "241234567a", "1.09001E+11", "２４１２３４５６７８"]
    )
    def test_participant_id_non_digits(self, pid: str) -> None:
        """Letters, Excel's scientific notation and full-width digits are refused."""
        error = _refused(
            attrs.evolve,
            "participant_id",
            "^participant_id must be digits only, got ",
            RECORD,
            participant_id=pid,
        )
        assert pid not in str(error)

    def test_participant_id_as_number_refused(self) -> None:
        """A number (Excel dropped the quotes) is refused, masked."""
        error = _refused(
            attrs.evolve, "participant_id", "digits only", RECORD, participant_id=2412345678
        )
        assert "2412345678" not in str(error)
        assert "******5678" in str(error)

    def test_naive_datetime_refused(self) -> None:
        """A naive datetime has no Vietnamese day."""
        _refused(
            attrs.evolve,
            "enrolled_on",
            "^enrolled_on must be a date; a naive datetime",
            RECORD,
            enrolled_on=dt.datetime(2023, 5, 18, 20),  # noqa: DTZ001
        )

    def test_missing_day_refused(self) -> None:
        """enrolled_on is required: None is refused, not stored."""
        _refused(
            attrs.evolve, "enrolled_on", "^enrolled_on must be a date", RECORD, enrolled_on=None
        )

    def test_text_day_refused(self) -> None:
        """Text is not a day."""
        _refused(
            attrs.evolve,
            "enrolled_on",
            "^enrolled_on must be a date, got str",
            RECORD,
            enrolled_on="2023-05-18",
        )

    def test_aware_datetime_is_vietnams_day(self) -> None:
        """2023-05-18T20:00Z is 19 May in Vietnam."""
        record = attrs.evolve(RECORD, enrolled_on=dt.datetime(2023, 5, 18, 20, 0, tzinfo=UTC))
        assert record.enrolled_on == dt.date(2023, 5, 19)
        assert type(record.enrolled_on) is dt.date

    def test_aware_datetime_in_vietnam_keeps_its_day(self) -> None:
        """23:30 in Vietnam stays that day."""
        ict = dt.timezone(dt.timedelta(hours=7))
        record = attrs.evolve(RECORD, enrolled_on=dt.datetime(2023, 5, 18, 23, 30, tzinfo=ict))
        assert record.enrolled_on == MAY_18

    @pytest.mark.parametrize("code", ["1234", "123456", "12a45"])
    def test_commune_code_five_digits(self, code: str) -> None:
        """A commune code is exactly five digits."""
        _refused(
            attrs.evolve,
            "commune_code",
            rf"^commune_code must be 5 digits, got '{code}'$",
            RECORD,
            commune_code=code,
        )

    @pytest.mark.parametrize("code", [None, "", "  "])
    def test_commune_code_blank_is_none(self, code: str | None) -> None:
        """A missing commune code is None."""
        assert attrs.evolve(RECORD, commune_code=code).commune_code is None

    @pytest.mark.parametrize("method", [None, ""])
    def test_payment_method_blank_is_none(self, method: str | None) -> None:
        """A missing payment method is None."""
        assert attrs.evolve(RECORD, payment_method=method).payment_method is None

    def test_bad_payment_method(self) -> None:
        """An unknown payment method is refused."""
        _refused(
            attrs.evolve,
            "payment_method",
            "^payment_method must be one of 'monthly'",
            RECORD,
            payment_method="weekly",
        )

    @pytest.mark.parametrize("name", ["record_id", "district_code"])
    def test_blank_text_refused(self, name: str) -> None:
        """record_id and district_code must not be blank."""
        _refused(attrs.evolve, name, f"^{name} must ", RECORD, **{name: " "})

    @pytest.mark.parametrize("code", ["22", "2210", "x21", "072100", "0721"])
    def test_district_code_is_a_unit_code(self, code: str) -> None:
        """The unit code is a district's three digits or a commune's five."""
        _refused(
            attrs.evolve,
            "district_code",
            "^district_code must be a district code \\(3 digits\\) or a commune code"
            " \\(5 digits\\)",
            RECORD,
            district_code=code,
        )

    def test_a_commune_code_is_a_unit(self) -> None:
        """A five-digit commune code, leading zero kept, is the record's unit."""
        record = attrs.evolve(RECORD, district_code="07210")
        assert record.unit_code == "07210"

    def test_repr_masks_the_participant(self) -> None:
        """The generated repr shows the masked identifier only."""
        assert repr(RECORD) == (
            "EnrollmentRecord(record_id='r1', participant_id='******5678', district_code='221',"
            " enrolled_on=datetime.date(2023, 5, 18), commune_code=None, payment_method=None,"
            " recorded_on=None, cancelled_on=None)"
        )
        assert RECORD.masked_participant_id == "******5678"

    @given(participant_ids(), district_codes())
    def test_repr_and_str_never_show_the_id(self, pid: str, district: str) -> None:
        """For any valid identifier, repr and str show only its masked form."""
        record = EnrollmentRecord(
            record_id="r1", participant_id=pid, district_code=district, enrolled_on=MAY_18
        )
        masked = "*" * (len(pid) - 4) + pid[-4:]
        for shown in (repr(record), str(record), f"{record}", repr([record])):
            assert pid not in shown
            assert masked in shown
        assert record.masked_participant_id == masked
        assert record.participant_id == pid

    @given(enrollment_records())
    def test_generated_records_never_show_the_id(self, record: EnrollmentRecord) -> None:
        """Records with every optional field set still mask the identifier."""
        assert record.participant_id not in repr(record)
        assert record.masked_participant_id in repr(record)

    @given(
        st.text(alphabet="0123456789", min_size=5, max_size=20).filter(
            lambda s: len(s) not in {10, 12}
        )
    )
    def test_errors_never_show_a_wrong_length_id(self, pid: str) -> None:
        """An identifier of the wrong length is masked in the error."""
        with pytest.raises(InvalidValueError) as info:
            attrs.evolve(RECORD, participant_id=pid)
        assert info.value.field == "participant_id"
        assert pid not in str(info.value)
        assert pid not in repr(info.value)
        assert "*" * (len(pid) - 4) + pid[-4:] in str(info.value)

    @given(
        st.text(alphabet="0123456789ABCDEFXYZ.+-", min_size=5, max_size=20).filter(
            lambda s: any(c.isupper() for c in s)
        )
    )
    def test_errors_never_show_an_id_with_letters(self, pid: str) -> None:
        """An identifier with letters (or '1.09001E+11') is masked in the error."""
        with pytest.raises(InvalidValueError) as info:
            attrs.evolve(RECORD, participant_id=pid)
        assert info.value.field == "participant_id"
        assert pid not in str(info.value)
        assert pid not in repr(info.value)
        assert "*" * (len(pid) - 4) + pid[-4:] in str(info.value)

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve runs the validators again."""
        _refused(
            attrs.evolve,
            "participant_id",
            "participant_id must",
            RECORD,
            participant_id="24123456789",
        )


class TestRecordLifecycle:
    """`EnrollmentRecord.recorded_on` and `cancelled_on`: late and cancelled records."""

    def test_defaults(self) -> None:
        """Without recorded_on, a record is known the day it happened; never cancelled."""
        assert (RECORD.recorded_on, RECORD.cancelled_on) == (None, None)
        assert RECORD.known_on == MAY_18
        assert RECORD.is_known_at(MAY_18)
        assert not RECORD.is_known_at(MAY_18 - dt.timedelta(days=1))
        assert not RECORD.is_cancelled_at(None)

    def test_late_record(self) -> None:
        """A record entered three days late is known from that day."""
        late = attrs.evolve(RECORD, recorded_on=dt.date(2023, 5, 21))
        assert late.known_on == dt.date(2023, 5, 21)
        assert not late.is_known_at(dt.date(2023, 5, 20))
        assert late.is_known_at(dt.date(2023, 5, 21))

    def test_cancelled_record(self) -> None:
        """A record cancelled on 20/05 is cancelled at 20/05 and after, and 'ever'."""
        gone = attrs.evolve(RECORD, cancelled_on=dt.date(2023, 5, 20))
        assert not gone.is_cancelled_at(dt.date(2023, 5, 19))
        assert gone.is_cancelled_at(dt.date(2023, 5, 20))
        assert gone.is_cancelled_at(None)

    def test_recorded_before_enrolled_refused(self) -> None:
        """A record cannot enter the system before it happened."""
        _refused(
            attrs.evolve,
            "recorded_on",
            "^recorded_on must not be before enrolled_on, got enrolled_on=2023-05-18"
            " and recorded_on=2023-05-17$",
            RECORD,
            recorded_on=dt.date(2023, 5, 17),
        )

    def test_cancelled_before_recorded_refused(self) -> None:
        """A record cannot be cancelled before it was recorded."""
        _refused(
            attrs.evolve,
            "cancelled_on",
            "^cancelled_on must not be before the record was recorded",
            RECORD,
            recorded_on=dt.date(2023, 5, 20),
            cancelled_on=dt.date(2023, 5, 19),
        )

    def test_same_day_is_allowed(self) -> None:
        """Recorded and cancelled on the day it happened is allowed."""
        r = attrs.evolve(RECORD, recorded_on=MAY_18, cancelled_on=MAY_18)
        assert r.known_on == r.cancelled_on == MAY_18

    @pytest.mark.parametrize("name", ["recorded_on", "cancelled_on"])
    @pytest.mark.parametrize("value", ["2023-05-20", 20230520])
    def test_not_a_date_refused(self, name: str, value: object) -> None:
        """Text and numbers are not days."""
        _refused(attrs.evolve, name, f"^{name} must be a date", RECORD, **{name: value})

    @pytest.mark.parametrize("name", ["recorded_on", "cancelled_on"])
    def test_naive_datetime_refused(self, name: str) -> None:
        """A naive datetime has no Vietnamese day."""
        value = dt.datetime(2023, 5, 20, 8)  # noqa: DTZ001
        _refused(attrs.evolve, name, f"^{name} must be a date; a naive", RECORD, **{name: value})

    @pytest.mark.parametrize("name", ["recorded_on", "cancelled_on"])
    def test_aware_datetime_is_vietnams_day(self, name: str) -> None:
        """An aware datetime becomes the Vietnamese day (20:00Z on 19/05 is 20/05)."""
        day: Any = dt.datetime(2023, 5, 19, 20, 0, tzinfo=UTC)
        r = attrs.evolve(RECORD, **{name: day})
        assert getattr(r, name) == dt.date(2023, 5, 20)

    @given(enrollment_records(revisions=True))
    def test_generated_revisions_are_ordered(self, record: EnrollmentRecord) -> None:
        """enrolled_on <= known_on <= cancelled_on for every generated record."""
        assert record.enrolled_on <= record.known_on
        assert record.cancelled_on is None or record.known_on <= record.cancelled_on

    @given(enrollment_records(revisions=True))
    def test_value_semantics(self, record: EnrollmentRecord) -> None:
        """Records with the new fields pickle, compare and hash by value."""
        copy = _roundtrip(record)
        assert copy == record
        assert hash(copy) == hash(record)
