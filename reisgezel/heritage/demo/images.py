"""Generated pictures for the demo: simple drawings, not photographs (their alt text and
credit say so). A plate with a blue transfer-print-like pattern, vessels with decorated
bands, and fossil silhouettes on a chalk-coloured ground. Deterministic per seed."""

from __future__ import annotations

import io
import itertools
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageOps

SCALE = 2  # drawn at twice the size, then reduced: smooth edges without antialiasing
INKS = {
    "blauw": (36, 64, 140),
    "rood": (150, 40, 45),
    "groen": (40, 105, 70),
    "bruin": (110, 70, 40),
    "zwart": (40, 40, 45),
    "veelkleurig": (36, 64, 140),
}
Colour = tuple[int, int, int]


def _canvas(width: int, height: int, top: Colour, bottom: Colour) -> Image.Image:
    """A soft vertical gradient, like a studio backdrop."""
    ramp = Image.linear_gradient("L").resize((width // 4, height // 4))
    backdrop = ImageOps.colorize(ramp, black=top, white=bottom)
    return backdrop.resize((width * SCALE, height * SCALE), Image.Resampling.BILINEAR)


def _finish(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.reduce(SCALE).save(out, "JPEG", quality=88)
    return out.getvalue()


def _shadow(image: Image.Image, box: tuple[float, float, float, float]) -> None:
    small = Image.new("L", (image.width // 8, image.height // 8), 0)
    ImageDraw.Draw(small).ellipse(tuple(v / 8 for v in box), fill=90)
    shadow = small.filter(ImageFilter.GaussianBlur(5)).resize(image.size, Image.Resampling.BILINEAR)
    image.paste((70, 65, 60), (0, 0), shadow)


def _flower(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, ink: Colour) -> None:
    for i in range(5):
        angle = i * 2 * math.pi / 5
        px, py = x + r * math.cos(angle), y + r * math.sin(angle)
        draw.ellipse((px - r * 0.6, py - r * 0.6, px + r * 0.6, py + r * 0.6), fill=ink)
    draw.ellipse((x - r * 0.35, y - r * 0.35, x + r * 0.35, y + r * 0.35), fill=(245, 243, 236))


def plate(seed: int, colour: str = "blauw") -> bytes:
    """A plate seen from above: rim with flowers, a ring, a small river landscape."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    ink = INKS.get(colour, INKS["blauw"])
    size = 1000
    image = _canvas(size, size, (214, 208, 198), (178, 170, 158))
    c, r = size * SCALE / 2, size * SCALE * 0.42
    _shadow(image, (c - r + 20, c - r + 40, c + r + 20, c + r + 40))
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        (c - r, c - r, c + r, c + r), fill=(246, 244, 237), outline=(200, 196, 186), width=4
    )
    count = rng.choice((12, 16, 20))
    for i in range(count):  # the rim: a garland of small flowers
        angle = 2 * math.pi * i / count
        x, y = c + r * 0.86 * math.cos(angle), c + r * 0.86 * math.sin(angle)
        _flower(draw, x, y, r * 0.05, ink)
    for factor, width in ((0.97, 6), (0.75, 8), (0.71, 3)):
        rr = r * factor
        draw.ellipse((c - rr, c - rr, c + rr, c + rr), outline=ink, width=width)
    inner = r * 0.68
    # water, a bridge, two trees and a little house: the kind of scene a print carries
    for k in range(6):
        y = c + inner * 0.3 + k * inner * 0.07
        half = math.sqrt(max(inner**2 - (y - c) ** 2, 0)) * 0.9
        draw.line((c - half, y, c + half, y), fill=ink, width=5)
    draw.arc((c - inner * 0.5, c, c + inner * 0.2, c + inner * 0.6), 180, 360, fill=ink, width=10)
    for tx in (c - inner * 0.55, c + inner * rng.uniform(0.25, 0.45)):
        top = c - inner * rng.uniform(0.45, 0.65)
        draw.line((tx, c + inner * 0.25, tx, top + inner * 0.2), fill=ink, width=14)
        for _ in range(7):
            ox, oy = rng.uniform(-0.18, 0.18) * inner, rng.uniform(-0.12, 0.15) * inner
            rad = inner * rng.uniform(0.07, 0.12)
            draw.ellipse((tx + ox - rad, top + oy - rad, tx + ox + rad, top + oy + rad), fill=ink)
    hx, hy = c + inner * 0.05, c - inner * 0.05
    draw.polygon([(hx - 70, hy), (hx + 70, hy), (hx, hy - 80)], fill=ink)
    draw.rectangle((hx - 55, hy, hx + 55, hy + 90), outline=ink, width=8)
    return _finish(image)


def vessel(seed: int, colour: str = "blauw", kind: str = "vase") -> bytes:
    """A cup, jug, tureen or vase in profile, with decorated bands."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    ink = INKS.get(colour, INKS["blauw"])
    width, height = 900, 1100
    image = _canvas(width, height, (206, 212, 214), (160, 166, 170))
    cx, base = width * SCALE / 2, height * SCALE * 0.86
    profiles = {  # (height fraction, half-width fraction) from foot to mouth
        "cup-and-saucer": [(0, 0.18), (0.05, 0.22), (0.35, 0.30), (0.42, 0.31)],
        "jug": [(0, 0.2), (0.1, 0.26), (0.45, 0.27), (0.62, 0.18), (0.72, 0.2)],
        "tureen": [(0, 0.2), (0.05, 0.32), (0.3, 0.36), (0.42, 0.33), (0.5, 0.1)],
        "vase": [(0, 0.14), (0.05, 0.2), (0.35, 0.28), (0.62, 0.13), (0.75, 0.11), (0.8, 0.15)],
    }
    profile = profiles.get(kind, profiles["vase"])
    unit = height * SCALE
    right = [(cx + w * unit * 0.8, base - h * unit) for h, w in profile]
    left = [(cx - w * unit * 0.8, base - h * unit) for h, w in reversed(profile)]
    _shadow(image, (cx - unit * 0.3, base - 40, cx + unit * 0.3, base + 60))
    draw = ImageDraw.Draw(image)
    draw.polygon(right + left, fill=(244, 242, 235), outline=(190, 186, 176))
    top_h = profile[-1][0]
    for band in sorted(rng.sample([0.1, 0.25, 0.4, 0.55, 0.7], 3)):
        y = base - band * top_h * unit
        half = _half_width(profile, band * top_h) * unit * 0.8
        draw.line((cx - half, y, cx + half, y), fill=ink, width=10)
        for i in range(-4, 5):
            _flower(draw, cx + i * half / 5, y - 40, 18, ink)
    return _finish(image)


def _half_width(profile: list[tuple[float, float]], h: float) -> float:
    for (h1, w1), (h2, w2) in itertools.pairwise(profile):
        if h1 <= h <= h2:
            return w1 + (w2 - w1) * (h - h1) / (h2 - h1 or 1)
    return profile[-1][1]


def fossil(seed: int, shape: str) -> bytes:
    """A fossil on chalk: "ammonite", "belemnite", "urchin", "tooth", "vertebra" or any."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    width = height = 1000
    image = _canvas(width, height, (232, 226, 208), (214, 205, 184))
    draw = ImageDraw.Draw(image)
    for _ in range(900):  # the grain of the Maastricht chalk
        x, y = rng.uniform(0, width * SCALE), rng.uniform(0, height * SCALE)
        tone = rng.randint(190, 225)
        draw.point((x, y), fill=(tone, tone - 6, tone - 24))
    c = width * SCALE / 2
    stone, dark = (170, 150, 118), (120, 100, 76)
    if shape == "ammonite":
        _ammonite(draw, c, stone, dark)
    elif shape == "belemnite":
        outline = [(c - 80, c - 600), (c + 80, c - 600), (c + 60, c + 500), (c, c + 700)]
        draw.polygon([*outline, (c - 60, c + 500)], fill=stone)
        draw.line((c, c - 600, c, c + 650), fill=dark, width=6)
    elif shape == "urchin":
        draw.ellipse((c - 520, c - 470, c + 520, c + 470), fill=stone, outline=dark, width=8)
        for i in range(5):  # the five "petals" of the ambulacra
            angle = -math.pi / 2 + i * 2 * math.pi / 5
            _petal(draw, c, c, angle, 320, 70, dark)
    elif shape == "tooth":
        _tooth(draw, c, stone)
    elif shape == "vertebra":
        box = (c - 380, c - 300, c + 380, c + 300)
        draw.rounded_rectangle(box, radius=140, fill=stone, outline=dark, width=10)
        draw.ellipse((c - 220, c - 220, c + 220, c + 220), outline=dark, width=14)
    else:
        for _ in range(14):
            x, y = c + rng.uniform(-300, 300), c + rng.uniform(-300, 300)
            rad = rng.uniform(60, 200)
            draw.ellipse((x - rad, y - rad, x + rad, y + rad), fill=stone)
    return _finish(image)


def _ammonite(draw: ImageDraw.ImageDraw, c: float, stone: Colour, dark: Colour) -> None:
    """A coiled shell (logarithmic spiral) with ribs across the outer whorls."""
    turns = 3 * 2 * math.pi
    points = [(t, 60 * math.exp(0.13 * t)) for t in (i / 400 * turns for i in range(401))]
    for t, rad in points:
        x, y = c + rad * math.cos(t), c + rad * math.sin(t)
        draw.ellipse((x - rad * 0.2, y - rad * 0.2, x + rad * 0.2, y + rad * 0.2), fill=stone)
    for t, rad in points[::9]:
        inner, outer = rad * 0.8, rad * 1.2
        draw.line(
            (
                c + inner * math.cos(t),
                c + inner * math.sin(t),
                c + outer * math.cos(t),
                c + outer * math.sin(t),
            ),
            fill=dark,
            width=6,
        )


def _petal(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    angle: float,
    length: float,
    width: float,
    ink: Colour,
) -> None:
    points = []
    for k in range(41):
        s = k / 40
        along, across = s * length, math.sin(s * math.pi) * width
        points.append((along, across))
    outline = points + [(a, -b) for a, b in reversed(points)]
    cos, sin = math.cos(angle), math.sin(angle)
    draw.polygon(
        [(x + a * cos - b * sin, y + a * sin + b * cos) for a, b in outline], outline=ink, width=8
    )


def _tooth(draw: ImageDraw.ImageDraw, c: float, stone: Colour) -> None:
    """A curved, pointed crown on a root (a mosasaur or shark tooth, roughly)."""

    def curve(
        start: tuple[float, float], bend: tuple[float, float], end: tuple[float, float]
    ) -> list[tuple[float, float]]:
        return [
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * bend[0] + t**2 * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * bend[1] + t**2 * end[1],
            )
            for t in (k / 40 for k in range(41))
        ]

    tip = (c + 160, c - 600)
    left = curve((c - 230, c + 420), (c - 200, c - 250), tip)
    right = curve(tip, (c + 150, c - 100), (c + 230, c + 420))
    draw.polygon(left + right, fill=(118, 102, 82), outline=(70, 60, 48))
    draw.rounded_rectangle((c - 260, c + 400, c + 260, c + 640), radius=60, fill=stone)
