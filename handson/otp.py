"""Second factor (TOTP, django-otp) for staff, committee members and experts (ASVS L2)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from handson.models import User


def needs_second_factor(user) -> bool:
    return bool(
        settings.OTP_REQUIRED and user.is_authenticated and user.needs_strong_session
        and not user.is_verified()
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return next(iter(devices_for_user(user, confirmed=True)), None)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (one per user, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator",
                                               confirmed=False)


def device_verify(device: TOTPDevice, token: str) -> bool:
    token = token.strip().replace(" ", "")
    return token.isdigit() and len(token) == 6 and device.verify_is_allowed()[0] and (
        device.verify_token(token)
    )


def device_confirm(device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def base32_key(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The provisioning URI as an SVG QR code in a data: URI (allowed by our CSP)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage,
                        box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
