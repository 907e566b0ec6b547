"""Illustrations for the demo data, drawn with Pillow so seeding needs no
network and no stock photos: abstract scenes (a skyline, fields, a data
network…) in a palette per theme, deterministic for a given key so a
re-seed draws the same picture."""

import io
import math
import random
import zlib

from PIL import Image, ImageDraw, ImageFilter, ImageOps

SIZE = (1600, 900)

# Three palettes per theme; the key picks one, so neighbouring stories of a
# section differ. Colours: background top, background bottom, then accents.
PALETTES = {
    "skyline": [
        ["#1b2a4a", "#f08a5d", "#f9ed69", "#3a4466", "#262b44", "#181425"],
        ["#0f4c75", "#bbe1fa", "#fff3b0", "#3282b8", "#1b262c", "#0b1a24"],
        ["#2d1b4e", "#ff7b54", "#ffd56b", "#4a3f72", "#2b2350", "#160f29"],
    ],
    "chart": [
        ["#0b132b", "#1c2541", "#5bc0be", "#f2c14e", "#f78154", "#ffffff"],
        ["#102a43", "#243b53", "#2ec4b6", "#ff9f1c", "#e71d36", "#fdfffc"],
        ["#1a1423", "#372549", "#eacdc2", "#b75d69", "#f4d35e", "#ffffff"],
    ],
    "network": [
        ["#03045e", "#023e8a", "#00b4d8", "#90e0ef", "#caf0f8", "#ffffff"],
        ["#10002b", "#3c096c", "#c77dff", "#e0aaff", "#7b2cbf", "#ffffff"],
        ["#002b36", "#073642", "#2aa198", "#b58900", "#93a1a1", "#fdf6e3"],
    ],
    "fields": [
        ["#87bfff", "#fde2b1", "#f6c453", "#7fb069", "#3f7d20", "#2d4f1e"],
        ["#ffb385", "#ffe6c7", "#ffd23f", "#a7c957", "#6a994e", "#386641"],
        ["#9bd1e5", "#eaf4f4", "#f4e285", "#8cb369", "#5b8e7d", "#244f26"],
    ],
    "heritage": [
        ["#3d0c11", "#d44d5c", "#f5c26b", "#7a1c23", "#2b0a0e", "#ffdd99"],
        ["#22223b", "#c9ada7", "#f2e9e4", "#4a4e69", "#1b1b2f", "#e63946"],
        ["#1d3557", "#e9c46a", "#f4a261", "#264653", "#0d1b2a", "#e76f51"],
    ],
    "river": [
        ["#a8dadc", "#f1faee", "#457b9d", "#1d3557", "#6c9a8b", "#e63946"],
        ["#ffcdb2", "#ffe8d6", "#b5838d", "#6d6875", "#3d405b", "#e07a5f"],
        ["#cde7be", "#f7fff7", "#4f772d", "#31572c", "#132a13", "#ecf39e"],
    ],
    "crowd": [
        ["#fef9ef", "#fde4cf", "#e76f51", "#2a9d8f", "#264653", "#e9c46a"],
        ["#edf6f9", "#ffddd2", "#e29578", "#006d77", "#83c5be", "#3d405b"],
        ["#f8f9fa", "#e9ecef", "#ef476f", "#118ab2", "#06d6a0", "#073b4c"],
    ],
    "coast": [
        ["#74c0fc", "#e7f5ff", "#1c7ed6", "#1864ab", "#495057", "#f8f9fa"],
        ["#ffd8a8", "#fff4e6", "#4dabf7", "#1971c2", "#5c3d2e", "#fff9db"],
        ["#5f3dc4", "#ffa8a8", "#3b5bdb", "#1c2d6b", "#212529", "#ffe066"],
    ],
    "studio": [
        ["#14213d", "#000000", "#fca311", "#e5e5e5", "#ffffff", "#264653"],
        ["#2b2d42", "#0d0d14", "#ef233c", "#edf2f4", "#8d99ae", "#ffffff"],
        ["#013a63", "#01192e", "#61a5c2", "#a9d6e5", "#ffffff", "#2a6f97"],
    ],
    "portrait": [
        ["#ffe5d9", "#d8e2dc", "#9d8189", "#6d597a", "#355070", "#fffffc"],
        ["#cce3de", "#eaf4f4", "#6b9080", "#3d5a80", "#293241", "#fffffc"],
        ["#fde2e4", "#fad2e1", "#c38e70", "#774936", "#3a2618", "#fffffc"],
    ],
}
THEMES = tuple(PALETTES)

# What each scene shows, in words: the caption and alt text of a cover.
DESCRIPTIONS = {
    "skyline": "Tranh minh họa: phố phường lên đèn",
    "chart": "Tranh minh họa: biểu đồ tăng trưởng",
    "network": "Tranh minh họa: mạng lưới dữ liệu kết nối",
    "fields": "Tranh minh họa: cánh đồng lúa trải dài tới chân trời",
    "heritage": "Tranh minh họa: mái chùa cổ, đèn lồng và núi xa",
    "river": "Tranh minh họa: con thuyền trên sông quê",
    "crowd": "Tranh minh họa: dòng người",
    "coast": "Tranh minh họa: đê biển và những cánh chim",
    "studio": "Tranh minh họa: micrô và sóng âm",
    "portrait": "Chân dung minh họa",
}


def _rgb(hex_colour, alpha=None):
    value = hex_colour.lstrip("#")
    rgb = tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    return rgb if alpha is None else rgb + (alpha,)


def _mix(a, b, t):
    a, b = _rgb(a), _rgb(b)
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def _gradient(size, top, bottom, diagonal=False):
    """Two-colour gradient, vertical or tilted: shaped on a small greyscale
    ramp and coloured at full size, which costs milliseconds."""
    ramp = Image.linear_gradient("L")
    if diagonal:
        # Rotate a larger ramp and keep its middle, so no corner is left empty.
        ramp = ramp.resize((512, 512)).rotate(25, resample=Image.BILINEAR).crop((128, 128, 384, 384))
    return ImageOps.colorize(ramp.resize(size, Image.BILINEAR), _rgb(top), _rgb(bottom))


def _glow(canvas, centre, radius, colour, strength=180):
    """A soft light: blur a disc at a quarter size, then scale it up."""
    w, h = canvas.size
    small = Image.new("L", (w // 4, h // 4), 0)
    cx, cy, r = centre[0] / 4, centre[1] / 4, radius / 4
    ImageDraw.Draw(small).ellipse([cx - r, cy - r, cx + r, cy + r], fill=strength)
    mask = small.filter(ImageFilter.GaussianBlur(max(2, r / 2))).resize((w, h), Image.BILINEAR)
    canvas.paste(Image.new("RGB", (w, h), _rgb(colour)), (0, 0), mask)


def _overlay(canvas):
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def _ridge(rng, width, base, amplitude, step=40):
    points, y = [], base
    for x in range(-step, width + 2 * step, step):
        y = max(base - amplitude, min(base + amplitude, y + rng.uniform(-amplitude / 2.5, amplitude / 2.5)))
        points.append((x, y))
    return points


# --- scenes ---------------------------------------------------------------


def _skyline(canvas, rng, p):
    w, h = canvas.size
    _glow(canvas, (rng.uniform(0.55, 0.85) * w, h * 0.42), 230, p[2], 220)
    draw = ImageDraw.Draw(canvas)
    sun_x = rng.uniform(0.55, 0.85) * w
    draw.ellipse([sun_x - 70, h * 0.35, sun_x + 70, h * 0.35 + 140], fill=_mix(p[2], "#ffffff", 0.3))
    for layer, colour in enumerate([p[3], p[4], p[5]]):
        x = -20
        ground = h * (0.78 + layer * 0.07)
        while x < w:
            bw = rng.randint(60, 150)
            bh = rng.uniform(0.18, 0.52 - layer * 0.09) * h
            draw.rectangle([x, ground - bh, x + bw, h], fill=_mix(colour, p[1], 0.25 - layer * 0.1))
            if rng.random() < 0.25:
                draw.polygon([(x, ground - bh), (x + bw / 2, ground - bh - 40), (x + bw, ground - bh)], fill=_mix(colour, p[1], 0.25 - layer * 0.1))
            if layer == 2:
                for wy in range(int(ground - bh + 18), int(h - 20), 28):
                    for wx in range(x + 12, x + bw - 12, 22):
                        if rng.random() < 0.35:
                            draw.rectangle([wx, wy, wx + 9, wy + 12], fill=_mix(p[2], "#ffffff", 0.2))
            x += bw + rng.randint(4, 24)


def _chart(canvas, rng, p):
    w, h = canvas.size
    layer, draw = _overlay(canvas)
    for gx in range(0, w, 80):
        draw.line([(gx, 0), (gx, h)], fill=_rgb(p[5], 18), width=1)
    for gy in range(0, h, 80):
        draw.line([(0, gy), (w, gy)], fill=_rgb(p[5], 18), width=1)
    canvas.paste(layer, (0, 0), layer)
    _glow(canvas, (w * 0.75, h * 0.3), 260, p[2], 90)
    draw = ImageDraw.Draw(canvas)
    bars = rng.randint(7, 11)
    left, right, floor = w * 0.08, w * 0.92, h * 0.86
    band = (right - left) / bars
    value, tops = rng.uniform(0.15, 0.3), []
    for i in range(bars):
        value = min(0.92, max(0.1, value + rng.uniform(-0.06, 0.14)))
        top = floor - value * h * 0.75
        x0 = left + i * band + band * 0.18
        x1 = left + (i + 1) * band - band * 0.18
        draw.rectangle([x0, top, x1, floor], fill=_rgb(p[2] if i % 3 else p[3]))
        draw.rectangle([x0, top, x1, top + 10], fill=_mix(p[2], "#ffffff", 0.5))
        tops.append(((x0 + x1) / 2, top - 40))
    draw.line(tops, fill=_rgb(p[4]), width=7, joint="curve")
    for x, y in tops:
        draw.ellipse([x - 13, y - 13, x + 13, y + 13], fill=_rgb(p[4]), outline=_rgb(p[5]), width=4)
    draw.line([(left, floor), (right, floor)], fill=_rgb(p[5]), width=3)
    for _ in range(rng.randint(3, 6)):
        cx, cy, r = rng.uniform(0.05, 0.95) * w, rng.uniform(0.08, 0.35) * h, rng.randint(18, 44)
        for k in range(3):
            draw.ellipse([cx - r + k * 6, cy - r + k * 6, cx + r - k * 6, cy + r - k * 6], outline=_rgb(p[3]), width=3)


def _network(canvas, rng, p):
    w, h = canvas.size
    for _ in range(3):
        _glow(canvas, (rng.uniform(0, w), rng.uniform(0, h)), rng.randint(180, 340), p[rng.choice([2, 4])], 110)
    nodes = [(rng.uniform(0, w), rng.uniform(0, h)) for _ in range(rng.randint(55, 80))]
    layer, draw = _overlay(canvas)
    for i, (x, y) in enumerate(nodes):
        for x2, y2 in nodes[i + 1 :]:
            d = math.hypot(x - x2, y - y2)
            if d < 240:
                draw.line([(x, y), (x2, y2)], fill=_rgb(p[3], int(150 * (1 - d / 240))), width=2)
    for x, y in nodes:
        r = rng.choice([4, 6, 9, 14])
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(p[rng.choice([2, 3, 5])], 230))
        if r >= 9:
            draw.ellipse([x - r * 2.4, y - r * 2.4, x + r * 2.4, y + r * 2.4], outline=_rgb(p[4], 120), width=2)
    canvas.paste(layer, (0, 0), layer)


def _fields(canvas, rng, p):
    w, h = canvas.size
    horizon = h * rng.uniform(0.38, 0.48)
    _glow(canvas, (w * rng.uniform(0.2, 0.8), horizon - 40), 200, p[2], 200)
    draw = ImageDraw.Draw(canvas)
    trees = _ridge(rng, w, horizon - 18, 14, step=24)
    draw.polygon(trees + [(w + 50, horizon + 4), (-50, horizon + 4)], fill=_rgb(p[5]))
    vanishing = w * rng.uniform(0.35, 0.65)
    stripes = rng.randint(9, 18)
    for i in range(stripes):
        x0, x1 = -w * 1.2 + i * (3.4 * w / stripes), -w * 1.2 + (i + 1) * (3.4 * w / stripes)
        colour = [p[2], p[3], p[4]][i % 3]
        draw.polygon([(vanishing, horizon), (x0, h), (x1, h)], fill=_rgb(colour))
    for j in range(6):
        y = horizon + (h - horizon) * (j / 6) ** 1.7
        draw.line([(0, y), (w, y)], fill=_mix(p[5], p[3], 0.5), width=1 + j // 2)
    for _ in range(rng.randint(2, 4)):
        fx, fy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.62, 0.9) * h
        s = (fy - horizon) / (h - horizon) * 70 + 20
        draw.polygon([(fx - s, fy - s * 0.35), (fx + s, fy - s * 0.35), (fx, fy - s * 1.05)], fill=_rgb("#f1e3b5"))
        draw.rectangle([fx - s * 0.28, fy - s * 0.35, fx + s * 0.28, fy + s * 0.5], fill=_rgb(p[5]))


def _mountains(canvas, rng, p, colours, base, amplitude):
    draw = ImageDraw.Draw(canvas)
    w, h = canvas.size
    for i, colour in enumerate(colours):
        ridge = _ridge(rng, w, h * (base + i * 0.09), amplitude * h, step=rng.choice([50, 70, 90]))
        draw.polygon(ridge + [(w + 100, h), (-100, h)], fill=colour)


def _heritage(canvas, rng, p):
    w, h = canvas.size
    _glow(canvas, (w * 0.5, h * 0.55), 320, p[2], 200)
    _mountains(canvas, rng, p, [_mix(p[3], p[1], 0.45), _mix(p[3], p[1], 0.2)], 0.52, 0.08)
    draw = ImageDraw.Draw(canvas)
    cx, ground, colour = w * rng.uniform(0.35, 0.65), h * 0.9, _rgb(p[4])
    width, y = 420, ground
    for tier in range(4):
        body_h = 90 - tier * 12
        draw.rectangle([cx - width * 0.32, y - body_h, cx + width * 0.32, y], fill=colour)
        roof_y = y - body_h
        draw.polygon(
            [(cx - width / 2 - 30, roof_y + 8), (cx - width / 2, roof_y - 20), (cx + width / 2, roof_y - 20), (cx + width / 2 + 30, roof_y + 8),
             (cx + width * 0.36, roof_y - 2), (cx - width * 0.36, roof_y - 2)],
            fill=colour,
        )
        y, width = roof_y - 20, width * 0.76
    draw.polygon([(cx - 18, y), (cx + 18, y), (cx, y - 70)], fill=colour)
    draw.rectangle([0, ground, w, h], fill=colour)
    for _ in range(rng.randint(5, 8)):
        lx, ly = rng.uniform(0.05, 0.95) * w, rng.uniform(0.1, 0.45) * h
        _glow(canvas, (lx, ly), 60, p[5], 150)
        draw = ImageDraw.Draw(canvas)
        draw.line([(lx, ly - 60), (lx, ly - 26)], fill=_rgb(p[4]), width=2)
        draw.ellipse([lx - 22, ly - 28, lx + 22, ly + 28], fill=_rgb(p[5]))
        draw.rectangle([lx - 10, ly + 24, lx + 10, ly + 32], fill=_rgb(p[4]))


def _river(canvas, rng, p):
    w, h = canvas.size
    _mountains(canvas, rng, p, [_mix(p[2], p[0], 0.6), _mix(p[2], p[0], 0.3), _rgb(p[3])], 0.35, 0.09)
    draw = ImageDraw.Draw(canvas)
    water_top = h * 0.68
    draw.rectangle([0, water_top, w, h], fill=_mix(p[0], p[2], 0.35))
    for i in range(28):
        y = water_top + 10 + i * (h - water_top) / 28
        x = rng.uniform(0, w)
        draw.line([(x, y), (x + rng.uniform(60, 260), y)], fill=_mix(p[1], p[0], 0.3), width=2)
    bx, by = w * rng.uniform(0.2, 0.7), h * rng.uniform(0.78, 0.88)
    draw.polygon([(bx - 120, by), (bx + 120, by), (bx + 90, by + 28), (bx - 90, by + 28)], fill=_rgb(p[4]))
    draw.polygon([(bx - 16, by - 12), (bx + 16, by - 12), (bx, by - 42)], fill=_rgb(p[5]))
    draw.rectangle([bx - 8, by - 12, bx + 8, by], fill=_rgb(p[4]))
    draw.line([(bx + 60, by), (bx + 160, by - 90)], fill=_rgb(p[4]), width=4)


def _crowd(canvas, rng, p):
    w, h = canvas.size
    draw = ImageDraw.Draw(canvas)
    for _ in range(5):
        r = rng.randint(120, 320)
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.6)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_mix(p[rng.choice([2, 3, 5])], p[0], 0.75))
    for row in range(4):
        scale = 0.55 + row * 0.22
        y = h * (0.5 + row * 0.13)
        x = rng.uniform(-60, 0)
        while x < w + 60:
            colour = _rgb(p[rng.choice([2, 3, 4, 5])])
            head = 34 * scale
            draw.rounded_rectangle([x - 52 * scale, y, x + 52 * scale, y + 240 * scale], radius=int(46 * scale), fill=colour)
            draw.ellipse([x - head, y - head * 2.3, x + head, y - head * 0.3], fill=colour)
            x += rng.uniform(95, 150) * scale


def _coast(canvas, rng, p):
    w, h = canvas.size
    _glow(canvas, (w * rng.uniform(0.25, 0.75), h * 0.3), 180, p[5], 210)
    draw = ImageDraw.Draw(canvas)
    sea_top = h * 0.55
    draw.rectangle([0, sea_top, w, h], fill=_rgb(p[2]))
    for i in range(9):
        y = sea_top + 20 + i * 34
        points = [(x, y + 8 * math.sin(x / 60 + i)) for x in range(0, w + 20, 20)]
        draw.line(points, fill=_mix(p[2], p[5], 0.45), width=3)
    draw.polygon([(0, h * 0.75), (w * 0.55, h * 0.68), (w, h * 0.72), (w, h), (0, h)], fill=_rgb(p[4]))
    draw.line([(0, h * 0.75), (w * 0.55, h * 0.68), (w, h * 0.72)], fill=_mix(p[4], p[5], 0.5), width=8)
    for _ in range(rng.randint(7, 14)):
        bx, by, s = rng.uniform(0.05, 0.95) * w, rng.uniform(0.1, 0.45) * h, rng.uniform(12, 30)
        draw.line([(bx - s, by - s * 0.4), (bx, by), (bx + s, by - s * 0.4)], fill=_rgb(p[3]), width=4, joint="curve")


def _studio(canvas, rng, p):
    w, h = canvas.size
    _glow(canvas, (w * 0.5, h * 0.5), 340, p[2], 120)
    draw = ImageDraw.Draw(canvas)
    bars, mid = 64, h * 0.5
    for i in range(bars):
        x = w * 0.06 + i * (w * 0.88 / bars)
        amp = (math.sin(i / 3.5) * 0.5 + 0.5) * rng.uniform(0.25, 1) * h * 0.3
        draw.rounded_rectangle([x, mid - amp, x + w * 0.88 / bars * 0.55, mid + amp], radius=6, fill=_rgb(p[rng.choice([2, 3])]))
    cx = w * 0.5
    draw.rounded_rectangle([cx - 70, mid - 200, cx + 70, mid + 40], radius=70, fill=_rgb(p[4]))
    for k in range(6):
        y = mid - 150 + k * 30
        draw.line([(cx - 50, y), (cx + 50, y)], fill=_rgb(p[5]), width=4)
    draw.arc([cx - 110, mid - 80, cx + 110, mid + 110], 0, 180, fill=_rgb(p[4]), width=12)
    draw.rectangle([cx - 8, mid + 110, cx + 8, mid + 220], fill=_rgb(p[4]))
    draw.rounded_rectangle([cx - 90, mid + 215, cx + 90, mid + 240], radius=12, fill=_rgb(p[4]))


def _portrait(canvas, rng, p):
    w, h = canvas.size
    draw = ImageDraw.Draw(canvas)
    for _ in range(4):
        r = rng.randint(80, 220)
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_mix(p[2], p[0], 0.6))
    cx, unit = w / 2, min(w, h)
    colour = _rgb(p[rng.choice([3, 4])])
    draw.ellipse([cx - unit * 0.42, h * 0.66, cx + unit * 0.42, h * 1.35], fill=colour)
    draw.rectangle([cx - unit * 0.08, h * 0.52, cx + unit * 0.08, h * 0.7], fill=_mix(p[2], p[5], 0.3))
    draw.ellipse([cx - unit * 0.19, h * 0.2, cx + unit * 0.19, h * 0.62], fill=_mix(p[2], p[5], 0.3))
    draw.chord([cx - unit * 0.21, h * 0.17, cx + unit * 0.21, h * 0.55], 180, 360, fill=_rgb(p[4]))


_SCENES = {
    "skyline": _skyline,
    "chart": _chart,
    "network": _network,
    "fields": _fields,
    "heritage": _heritage,
    "river": _river,
    "crowd": _crowd,
    "coast": _coast,
    "studio": _studio,
    "portrait": _portrait,
}


def draw(theme, key, size=SIZE, variant=None):
    """The picture for ``key`` in ``theme``, the same every time. ``variant``
    picks the palette, so neighbouring stories can be told apart."""
    rng = random.Random(zlib.crc32(f"{theme}:{key}".encode()))
    palette = PALETTES[theme][variant % len(PALETTES[theme])] if variant is not None else rng.choice(PALETTES[theme])
    canvas = _gradient(size, palette[0], palette[1], diagonal=rng.random() < 0.4)
    _SCENES[theme](canvas, rng, palette)
    return canvas


def jpeg_bytes(image, quality=84):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
