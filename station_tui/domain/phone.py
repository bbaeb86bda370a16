"""Chinese mobile numbers: cleaning, validating, masking, hashing."""

from __future__ import annotations

import hashlib
import hmac

from station_tui.domain.text import clean
from station_tui.errors import InputError


def normalize_mobile(text: str | None, *, field: str = "phone") -> str:
    """Return a valid mainland mobile number as 11 plain digits.

    Full-width digits, ``+86``/``0086``, spaces and dashes are accepted.
    Validity is libphonenumber's call, not a hand-written prefix list,
    because the ranges change as carriers get new blocks.
    """
    import phonenumbers  # heavy metadata: load only when a phone is typed

    raw = clean(text)
    if not raw:
        raise InputError("请填写手机号", field=field)
    digits = "".join(ch for ch in raw if ch not in " -()（）\u3000")
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        raise InputError(f"“{raw}”不是手机号：只能包含数字", field=field) from None
    national = str(parsed.national_number)
    if parsed.country_code != 86:
        raise InputError(f"“{raw}”不是中国大陆手机号", field=field)
    number_type = phonenumbers.number_type(parsed)
    if number_type == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise InputError(
            f"“{raw}”是固定电话，不是手机号：请填写以 1 开头的 11 位手机号",
            field=field,
        )
    if not national.startswith("1"):
        raise InputError(
            f"“{raw}”不是手机号：手机号是以 1 开头的 11 位数字", field=field
        )
    if len(national) != 11:
        raise InputError(
            f"“{raw}”有 {len(national)} 位数字，手机号应为 11 位", field=field
        )
    mobile_types = (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if not phonenumbers.is_valid_number(parsed) or number_type not in mobile_types:
        raise InputError(f"“{raw}”不是有效的手机号段，请核对", field=field)
    return national


def mask(phone: str | None) -> str:
    """138****1111: what every list, log and export shows."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def last_four(phone: str | None) -> str:
    return phone[-4:] if phone else ""


def phone_hash(phone: str | None, key: bytes) -> str | None:
    """Keyed hash so the center can spot repeat buyers without the number."""
    if not phone:
        return None
    return hmac.new(key, phone.encode("ascii"), hashlib.sha256).hexdigest()[:32]
