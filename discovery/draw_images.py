"""Draws the PNG versions of static/discovery/favicon.svg (same shapes, same colours), the
default link preview image and one preview per category pictogram (preview-<icon>.png).
They are committed; run this again only to change them:
``.venv/bin/python -m discovery.draw_images`` (the pictograms need the dev dependencies:
Playwright with Debian's /usr/bin/chromium renders their SVG, which Pillow cannot draw)."""

import io
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "static" / "discovery"
LUCIDE = ROOT / "static" / "vendor" / "lucide"

BLUE = (10, 92, 138, 255)
DARK = (6, 63, 96, 255)
WHITE = (255, 255, 255, 255)


def icon(size, rounded=True):
    scale = 8
    big = size * scale
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * unit, fill=BLUE)
    else:
        draw.rectangle((0, 0, big, big), fill=BLUE)

    def circle(cx, cy, r, **kw):
        draw.ellipse(((cx - r) * unit, (cy - r) * unit, (cx + r) * unit, (cy + r) * unit), **kw)

    circle(32, 32, 20, fill=WHITE)
    circle(32, 32, 14, fill=BLUE)
    circle(32, 32, 6, fill=WHITE)
    for cx, cy in [(32, 9), (52, 43.5), (12, 43.5)]:
        circle(cx, cy, 4, fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    icon(32).save(OUT / "favicon-32.png", optimize=True)
    icon(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    icon(192).save(OUT / "icon-192.png", optimize=True)
    icon(512).save(OUT / "icon-512.png", optimize=True)

    # The link preview: 1200 x 630 (the size Open Graph readers expect), no text, so that it
    # suits every language.
    preview = background()
    mark = icon(300)
    preview.paste(mark, (450, 140), mark)
    preview.save(OUT / "preview.png", optimize=True)
    category_previews(background(), icon(200))


def background():
    """The preview's blue with darker waves along the bottom, without the mark."""
    image = Image.new("RGB", (1200, 630), BLUE[:3])
    draw = ImageDraw.Draw(image)
    for i, x in enumerate(range(-200, 1400, 160)):
        draw.ellipse((x, 470 + (i % 2) * 40, x + 260, 730 + (i % 2) * 40), fill=DARK[:3])
    return image


def category_previews(base, mark):
    """preview-<icon>.png for each category pictogram: the portal's mark on the left, the
    pictogram in a white circle on the right, no text (it suits every language)."""
    from playwright.sync_api import sync_playwright

    from vocabularies.icons import ICONS

    base = base.copy()
    base.paste(mark, (250, 215), mark)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": 320, "height": 320})
        for name, _label in ICONS:
            svg = (LUCIDE / f"{name}.svg").read_text(encoding="utf-8")
            svg = svg[svg.index("<svg") :]
            page.set_content(
                "<body style='margin:0;background:transparent'>"
                "<div style='width:320px;height:320px;border-radius:50%;background:#fff;"
                "display:grid;place-items:center;color:rgb(10,92,138)'>"
                f"<div style='width:190px;height:190px'>{svg}</div></div>"
                "<style>svg{width:190px;height:190px}</style></body>"
            )
            png = page.screenshot(omit_background=True)
            pictogram = Image.open(io.BytesIO(png)).convert("RGBA")
            image = base.copy()
            image.paste(pictogram, (650, 155), pictogram)
            image.save(OUT / f"preview-{name}.png", optimize=True)
        browser.close()


if __name__ == "__main__":
    main()
