"""Draws the PNG versions of static/discovery/favicon.svg (same shapes, same colours) and
the default link preview image. They are committed; run this again only to change them:
``.venv/bin/python -m discovery.draw_images``."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent / "static" / "discovery"

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
    preview = Image.new("RGB", (1200, 630), BLUE[:3])
    draw = ImageDraw.Draw(preview)
    for i, x in enumerate(range(-200, 1400, 160)):
        draw.ellipse((x, 470 + (i % 2) * 40, x + 260, 730 + (i % 2) * 40), fill=DARK[:3])
    mark = icon(300)
    preview.paste(mark, (450, 140), mark)
    preview.save(OUT / "preview.png", optimize=True)


if __name__ == "__main__":
    main()
