"""QR codes drawn by the portal itself (for posters at the Ausländerbehörde or the town
hall): an SVG of an address, never fetched from a QR service elsewhere."""

import qrcode
import qrcode.image.svg


def qr_svg(address):
    """The QR code of ``address`` as an SVG document (white background, a quiet zone of
    four modules, as scanners expect)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(address)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")
