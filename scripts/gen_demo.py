#!/usr/bin/env python3
"""Generate the icp-review demo dataset: assets/demo/orders/*.json and assets/demo/materials/*.

Everything is invented: people, id numbers (with valid check characters), companies, credit
codes, addresses, domains, phone numbers, apps and the material images (drawn shapes and Latin
placeholder text, no real documents). The output is deterministic: re-running the script with
the same Python and Pillow versions reproduces the same bytes.

    pip install pillow
    python3 scripts/gen_demo.py            # writes assets/demo/{orders,materials,README.md}

The script reads assets/rules/mobile_prefixes.tsv (mobile numbers must look local to their
province) and assets/rules/reasons.toml (rejection reason codes), and fails loudly if a number
or code it uses no longer matches them.
"""

from __future__ import annotations

import base64
import copy
import json
import random
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SEED = 20261122
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "demo"
ORDERS_DIR = OUT / "orders"
MATERIALS_DIR = OUT / "materials"
RULES_DIR = ROOT / "assets" / "rules"

# ════════════════════════════════════════════════════════════════════════════════════════════
# Images
# ════════════════════════════════════════════════════════════════════════════════════════════


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's built-in font (Latin only): the images carry no CJK text, only placeholders.
    return ImageFont.load_default(size=size)


def text_lines(d: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, width: int, lines: int,
               height: int = 14, gap: int = 16, colour=(70, 70, 70), ragged: bool = True) -> int:
    """Grey bars standing in for lines of (CJK) text. Returns the y below the block."""
    for i in range(lines):
        w = width
        if ragged and (i == lines - 1 or rng.random() < 0.25):
            w = int(width * rng.uniform(0.35, 0.9))
        # break a line into "words" so it reads as text, not as a rule
        cx = x
        while cx < x + w:
            seg = rng.randint(30, 110)
            seg = min(seg, x + w - cx)
            d.rectangle([cx, y, cx + seg, y + height], fill=colour)
            cx += seg + rng.randint(8, 14)
        y += height + gap
    return y


def seal(d: ImageDraw.ImageDraw, cx: int, cy: int, r: int, colour=(205, 30, 35), width: int = 7) -> None:
    """A round red seal: ring, star, and tick marks standing in for the arc of characters."""
    import math

    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=width)
    d.ellipse([cx - r + width + 3, cy - r + width + 3, cx + r - width - 3, cy + r - width - 3],
              outline=colour, width=2)
    # star
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rr = r * 0.30 if k % 2 == 0 else r * 0.12
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=colour)
    # "characters" along the upper arc
    for k in range(14):
        a = math.pi * (1.08 + k * 0.84 / 13)
        ri, ro = r * 0.58, r * 0.80
        x0, y0 = cx + ri * math.cos(a), cy + ri * math.sin(a)
        x1, y1 = cx + ro * math.cos(a), cy + ro * math.sin(a)
        d.line([x0, y0, x1, y1], fill=colour, width=max(3, r // 14))
    # a bar under the star (the unit's seal purpose)
    d.rectangle([cx - r * 0.35, cy + r * 0.42, cx + r * 0.35, cy + r * 0.52], fill=colour)


def qr_block(d: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int, size: int, modules: int = 25) -> None:
    cell = size // modules
    d.rectangle([x - 6, y - 6, x + cell * modules + 6, y + cell * modules + 6], fill=(255, 255, 255))
    for i in range(modules):
        for j in range(modules):
            finder = (i < 7 and j < 7) or (i < 7 and j >= modules - 7) or (i >= modules - 7 and j < 7)
            if finder:
                ii, jj = i % (modules - 7) if i >= 7 else i, j % (modules - 7) if j >= 7 else j
                ring = max(abs(ii - 3), abs(jj - 3))
                on = ring in (0, 1, 3)
            else:
                on = rng.random() < 0.5
            if on:
                d.rectangle([x + j * cell, y + i * cell, x + (j + 1) * cell - 1, y + (i + 1) * cell - 1], fill=(20, 20, 20))


def licence(variant: int) -> Image.Image:
    """A business-licence-like scan: cream paper, ornamental frame, emblem, text blocks, QR, red seal."""
    rng = random.Random(SEED + 100 + variant)
    W, H = 1400, 1000
    paper = [(248, 241, 222), (246, 238, 216), (250, 244, 226)][variant % 3]
    im = Image.new("RGB", (W, H), paper)
    d = ImageDraw.Draw(im)
    # faint paper fibres
    for _ in range(260):
        x, y = rng.randrange(W), rng.randrange(H)
        c = tuple(max(0, v - rng.randint(6, 14)) for v in paper)
        d.line([x, y, x + rng.randint(4, 18), y + rng.randint(-3, 3)], fill=c, width=1)
    frame = (176, 128, 60)
    d.rectangle([30, 30, W - 31, H - 31], outline=frame, width=10)
    d.rectangle([52, 52, W - 53, H - 53], outline=frame, width=3)
    for k in range(0, W - 120, 36):  # ornament band
        d.ellipse([70 + k, 64, 84 + k, 78], outline=frame, width=2)
        d.ellipse([70 + k, H - 80, 84 + k, H - 66], outline=frame, width=2)
    # emblem
    d.ellipse([W // 2 - 46, 100, W // 2 + 46, 192], fill=(200, 36, 36))
    d.ellipse([W // 2 - 30, 116, W // 2 + 30, 176], outline=(236, 196, 80), width=6)
    # title
    d.rectangle([W // 2 - 230, 220, W // 2 + 230, 272], fill=(30, 30, 30))
    f = font(30)
    t = "BUSINESS LICENCE (DEMO)"
    tw = d.textlength(t, font=f)
    d.text((W // 2 - tw / 2, 284), t, fill=(90, 60, 30), font=f)
    # credit code line
    d.rectangle([120, 340, 520, 362], fill=(40, 40, 40))
    fs = font(20)
    d.text((120, 372), "SPECIMEN - NOT A REAL DOCUMENT", fill=(120, 90, 60), font=fs)
    # two columns: label bars + value bars
    y = 430
    for row in range(6):
        d.rectangle([120, y, 200, y + 18], fill=(60, 60, 60))
        text_lines(d, rng, 230, y, rng.randint(260, 380), 1, height=18, colour=(35, 35, 35), ragged=False)
        d.rectangle([720, y, 800, y + 18], fill=(60, 60, 60))
        text_lines(d, rng, 830, y, rng.randint(200, 320), 1, height=18, colour=(35, 35, 35), ragged=False)
        y += 48
    d.rectangle([120, y + 10, 200, y + 28], fill=(60, 60, 60))
    text_lines(d, rng, 230, y + 10, 540, 3, height=16, gap=14, colour=(45, 45, 45))
    qr_block(d, rng, 1090, 330, 200)
    # registration authority + date + seal
    text_lines(d, rng, 900, 800, 300, 2, height=16, gap=14, colour=(45, 45, 45))
    seal(d, 1050, 790, 110)
    return im


def id_card(side: str, variant: int, size=(1000, 630)) -> Image.Image:
    """A resident-id-like card photographed on a light desk."""
    rng = random.Random(SEED + 200 + variant * 2 + (side == "back"))
    W, H = size
    s = W / 1000
    desk = (232, 230, 226)
    im = Image.new("RGB", (W, H), desk)
    d = ImageDraw.Draw(im)
    card = [int(40 * s), int(35 * s), W - int(40 * s), H - int(35 * s)]
    tint = [(226, 236, 242), (236, 238, 226), (230, 232, 244)][variant % 3]
    d.rounded_rectangle(card, radius=int(36 * s), fill=tint, outline=(180, 186, 196), width=max(1, int(2 * s)))
    # guilloche-ish wave lines
    import math

    for k in range(9):
        pts = [(card[0] + x, card[1] + int(60 * s) + k * int(55 * s) + int(10 * s * math.sin(x / (40 * s) + k)))
               for x in range(0, card[2] - card[0], max(1, int(6 * s)))]
        d.line(pts, fill=tuple(max(0, v - 14) for v in tint), width=max(1, int(2 * s)))
    f = font(max(10, int(20 * s)))
    if side == "front":
        # photo area with a silhouette
        px0, py0 = card[2] - int(300 * s), card[1] + int(70 * s)
        px1, py1 = card[2] - int(60 * s), card[1] + int(370 * s)
        d.rectangle([px0, py0, px1, py1], fill=(206, 214, 226))
        cx = (px0 + px1) // 2
        d.ellipse([cx - int(62 * s), py0 + int(50 * s), cx + int(62 * s), py0 + int(200 * s)], fill=(214, 176, 150))
        d.ellipse([cx - int(66 * s), py0 + int(36 * s), cx + int(66 * s), py0 + int(120 * s)], fill=(40, 36, 34))
        d.pieslice([cx - int(120 * s), py0 + int(210 * s), cx + int(120 * s), py1 + int(160 * s)], 180, 360, fill=(48, 60, 84))
        y = card[1] + int(80 * s)
        for _ in range(4):
            d.rectangle([card[0] + int(60 * s), y, card[0] + int(130 * s), y + int(20 * s)], fill=(70, 110, 160))
            text_lines(d, rng, card[0] + int(160 * s), y, int(rng.randint(150, 300) * s), 1,
                       height=int(22 * s), colour=(25, 25, 25), ragged=False)
            y += int(62 * s)
        text_lines(d, rng, card[0] + int(160 * s), y, int(300 * s), 1, height=int(22 * s), colour=(25, 25, 25))
        # number line
        d.rectangle([card[0] + int(60 * s), card[3] - int(110 * s), card[0] + int(200 * s), card[3] - int(86 * s)], fill=(70, 110, 160))
        d.rectangle([card[0] + int(230 * s), card[3] - int(112 * s), card[0] + int(700 * s), card[3] - int(84 * s)], fill=(20, 20, 20))
        d.text((card[0] + int(60 * s), card[3] - int(60 * s)), "ID CARD FRONT (DEMO)", fill=(110, 120, 140), font=f)
    else:
        # emblem + title + validity
        ex, ey = card[0] + int(150 * s), card[1] + int(150 * s)
        r = int(85 * s)
        d.ellipse([ex - r, ey - r, ex + r, ey + r], fill=(204, 40, 40))
        d.ellipse([ex - r * 2 // 3, ey - r * 2 // 3, ex + r * 2 // 3, ey + r * 2 // 3], outline=(240, 200, 70), width=max(2, int(7 * s)))
        d.rectangle([card[0] + int(300 * s), card[1] + int(90 * s), card[2] - int(120 * s), card[1] + int(140 * s)], fill=(30, 30, 30))
        d.rectangle([card[0] + int(380 * s), card[1] + int(175 * s), card[2] - int(200 * s), card[1] + int(225 * s)], fill=(30, 30, 30))
        y = card[3] - int(200 * s)
        for _ in range(2):
            d.rectangle([card[0] + int(120 * s), y, card[0] + int(260 * s), y + int(22 * s)], fill=(70, 110, 160))
            text_lines(d, rng, card[0] + int(290 * s), y, int(rng.randint(280, 420) * s), 1,
                       height=int(22 * s), colour=(25, 25, 25), ragged=False)
            y += int(60 * s)
        d.text((card[0] + int(120 * s), card[3] - int(60 * s)), "ID CARD BACK (DEMO)", fill=(110, 120, 140), font=f)
    return im


def verification_photo(variant: int, dark: bool = False) -> Image.Image:
    """A head-and-shoulders photo against a (near-)white or a dark background."""
    W, H = 900, 1200
    bg = (58, 62, 74) if dark else [(247, 247, 245), (244, 245, 247)][variant % 2]
    im = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(im)
    if not dark:
        # a faint shadow behind the person
        d.ellipse([200, 330, 720, 1320], fill=tuple(v - 8 for v in bg))
    shirt = [(70, 98, 140), (120, 120, 128), (150, 70, 60)][variant % 3]
    skin = [(222, 184, 156), (210, 170, 140), (228, 192, 166)][variant % 3]
    hair = (34, 30, 28)
    cx = W // 2
    # shoulders / body (cut by the lower edge)
    d.rounded_rectangle([cx - 250, 880, cx + 250, H + 80], radius=150, fill=shirt)
    d.polygon([(cx - 60, 860), (cx + 60, 860), (cx, 960)], fill=(236, 236, 236))  # collar
    # neck
    d.rectangle([cx - 55, 740, cx + 55, 900], fill=tuple(v - 14 for v in skin))
    # head
    d.ellipse([cx - 150, 380, cx + 150, 800], fill=skin)
    d.chord([cx - 160, 350, cx + 160, 640], 180, 360, fill=hair)
    d.ellipse([cx - 168, 520, cx - 136, 620], fill=skin)
    d.ellipse([cx + 136, 520, cx + 168, 620], fill=skin)
    # eyes, mouth
    for ex in (cx - 62, cx + 62):
        d.ellipse([ex - 16, 565, ex + 16, 585], fill=(50, 40, 36))
    d.arc([cx - 50, 660, cx + 50, 720], 20, 160, fill=(150, 80, 80), width=6)
    # the white board the applicant holds is cropped out; a small caption instead
    f = font(22)
    d.text((30, 30), "VERIFICATION PHOTO (DEMO)", fill=(200, 200, 200) if dark else (190, 190, 190), font=f)
    return im


def a4_page(kind: str) -> Image.Image:
    """An A4-like letter or certificate page: title, paragraphs, signature, red seal."""
    rng = random.Random(SEED + 300 + sum(map(ord, kind)))
    W, H = 900, 1270
    im = Image.new("RGB", (W, H), (253, 253, 251))
    d = ImageDraw.Draw(im)
    titles = {
        "auth-letter": "AUTHORIZATION LETTER (DEMO)",
        "commitment": "COMMITMENT LETTER (DEMO)",
        "party-building": "PARTY-BUILDING CONFIRMATION (DEMO)",
        "pre-approval": "PRE-APPROVAL PERMIT (DEMO)",
        "domain-cert": "DOMAIN NAME CERTIFICATE (DEMO)",
    }
    f = font(28)
    fs = font(18)
    if kind in ("pre-approval", "domain-cert"):
        col = (170, 40, 40) if kind == "pre-approval" else (40, 90, 160)
        d.rectangle([26, 26, W - 27, H - 27], outline=col, width=8)
        d.rectangle([44, 44, W - 45, H - 45], outline=col, width=2)
        d.rectangle([W // 2 - 200, 110, W // 2 + 200, 160], fill=col)
    elif kind == "party-building":
        d.rectangle([0, 0, W, 120], fill=(196, 30, 32))
        d.rectangle([0, 128, W, 134], fill=(196, 30, 32))
    else:
        d.rectangle([W // 2 - 170, 110, W // 2 + 170, 152], fill=(30, 30, 30))
    t = titles[kind]
    tw = d.textlength(t, font=f)
    d.text((W // 2 - tw / 2, 190), t, fill=(60, 60, 60), font=f)
    d.text((90, 240), "Specimen for software testing. Not a real document.", fill=(140, 140, 140), font=fs)
    y = 300
    if kind == "domain-cert":
        for _ in range(5):
            d.rectangle([140, y, 300, y + 18], fill=(90, 110, 150))
            text_lines(d, rng, 330, y, rng.randint(220, 400), 1, height=18, colour=(35, 35, 35), ragged=False)
            y += 56
        y += 30
        y = text_lines(d, rng, 120, y, 660, 6, height=13, gap=15)
    else:
        for para in range(4 if kind != "pre-approval" else 3):
            y = text_lines(d, rng, 120 + (40 if para else 0), y, 660 - (40 if para else 0), rng.randint(3, 6), height=13, gap=15)
            y += 26
    # signature + date + seal
    sy = max(y + 40, 960)
    d.line([(560, sy), (600, sy - 30), (630, sy + 10), (670, sy - 25), (700, sy + 5), (760, sy - 15)], fill=(30, 30, 90), width=4)
    text_lines(d, rng, 540, sy + 50, 240, 2, height=13, gap=15)
    seal(d, 640, sy + 10, 95)
    return im


def icon_base(top: tuple[int, int, int], bottom: tuple[int, int, int], W: int = 144) -> Image.Image:
    """A rounded app-icon tile with a vertical gradient."""
    grad = Image.new("RGB", (W, W))
    gd = ImageDraw.Draw(grad)
    for y in range(W):
        t = y / (W - 1)
        gd.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    mask = Image.new("L", (W, W), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, W - 1, W - 1], radius=32, fill=255)
    im = Image.new("RGB", (W, W), (255, 255, 255))
    im.paste(grad, (0, 0), mask)
    return im


def icon_small() -> Image.Image:
    im = icon_base((52, 140, 236), (22, 96, 196))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([40, 34, 112, 118], radius=8, fill=(14, 70, 150))  # shadow
    d.rounded_rectangle([36, 30, 108, 114], radius=8, fill=(255, 255, 255))
    d.ellipse([92, 92, 126, 126], fill=(255, 196, 40), outline=(255, 255, 255), width=3)
    for k in range(4):
        d.rectangle([48, 46 + k * 16, 96 - (k % 2) * 18, 52 + k * 16], fill=(32, 120, 220))
    return im


def icon_small_2() -> Image.Image:
    im = icon_base((40, 190, 130), (14, 130, 92))
    d = ImageDraw.Draw(im)
    d.ellipse([34, 34, 110, 110], outline=(255, 255, 255), width=10)
    d.polygon([(62, 52), (62, 92), (96, 72)], fill=(255, 255, 255))
    return im


def icon_noise() -> Image.Image:
    rng = random.Random(SEED + 400)
    W = 220
    data = bytes(rng.randrange(256) for _ in range(W * W * 3))
    return Image.frombytes("RGB", (W, W), data)


def write_materials() -> dict[str, str]:
    """Draw every material image; returns name -> path relative to an order file."""
    MATERIALS_DIR.mkdir(parents=True, exist_ok=True)
    files: dict[str, Image.Image] = {}
    for v in (1, 2, 3):
        files[f"licence-0{v}.jpg"] = licence(v)
    files["licence-grey.jpg"] = licence(4).convert("L").convert("RGB")
    for v in (1, 2):
        files[f"id-front-0{v}.jpg"] = id_card("front", v)
        files[f"id-back-0{v}.jpg"] = id_card("back", v)
    files["id-front-small.jpg"] = id_card("front", 3, size=(480, 302))
    files["photo-01.jpg"] = verification_photo(0)
    files["photo-02.jpg"] = verification_photo(1)
    files["photo-dark.jpg"] = verification_photo(2, dark=True)
    files["auth-letter.jpg"] = a4_page("auth-letter")
    files["commitment-letter.jpg"] = a4_page("commitment")
    files["party-building.jpg"] = a4_page("party-building")
    files["pre-approval.jpg"] = a4_page("pre-approval")
    files["domain-cert.jpg"] = a4_page("domain-cert")
    files["icon-01.png"] = icon_small()
    files["icon-02.png"] = icon_small_2()
    files["icon-big.png"] = icon_noise()
    for name, im in files.items():
        path = MATERIALS_DIR / name
        if name.endswith(".jpg"):
            im.save(path, "JPEG", quality=80, optimize=True)
        else:
            im.save(path, "PNG", optimize=True)
    return {name: f"../materials/{name}" for name in files}


# ════════════════════════════════════════════════════════════════════════════════════════════
# Reference data (public facts: province codes, GB/T 2260 area codes, real city and district
# names; everything below a district — roads, numbers, companies, people — is invented)
# ════════════════════════════════════════════════════════════════════════════════════════════

# province -> (ICP abbreviation, mobile prefixes that assets/rules/mobile_prefixes.tsv places there,
#              {city: (landline area code, [(district, GB/T 2260 code)])})
PROVINCES: dict[str, tuple[str, list[str], dict[str, tuple[str, list[tuple[str, str]]]]]] = {
    "CN-BJ": ("京", ["1380010", "1391001", "1861001", "1370110", "1501100"],
              {"北京市": ("010", [("海淀区", "110108"), ("朝阳区", "110105"), ("东城区", "110101")])}),
    "CN-TJ": ("津", ["1392022", "1382022"],
              {"天津市": ("022", [("滨海新区", "120116"), ("南开区", "120104")])}),
    "CN-LN": ("辽", ["1390411", "1389880", "1384003"],
              {"大连市": ("0411", [("甘井子区", "210211"), ("沙河口区", "210204")]),
               "沈阳市": ("024", [("和平区", "210102"), ("浑南区", "210112")])}),
    "CN-SH": ("沪", ["1391761", "1381621", "1360173", "1350173"],
              {"上海市": ("021", [("浦东新区", "310115"), ("徐汇区", "310104"), ("闵行区", "310112")])}),
    "CN-JS": ("苏", ["1395171", "1385125", "1391381", "1385171", "1377065"],
              {"南京市": ("025", [("鼓楼区", "320106"), ("建邺区", "320105")]),
               "苏州市": ("0512", [("姑苏区", "320508"), ("虎丘区", "320505")]),
               "无锡市": ("0510", [("新吴区", "320214")]),
               "常州市": ("0519", [("天宁区", "320402")]),
               "南通市": ("0513", [("崇川区", "320602")])}),
    "CN-ZJ": ("浙", ["1385712", "1395717", "1385744"],
              {"杭州市": ("0571", [("西湖区", "330106"), ("滨江区", "330108")]),
               "宁波市": ("0574", [("鄞州区", "330212")]),
               "温州市": ("0577", [("鹿城区", "330302")]),
               "绍兴市": ("0575", [("越城区", "330602")]),
               "湖州市": ("0572", [("吴兴区", "330502")])}),
    "CN-AH": ("皖", ["1395510", "1385510", "1380551"],
              {"合肥市": ("0551", [("蜀山区", "340104")])}),
    "CN-FJ": ("闽", ["1395911", "1385920", "1380592"],
              {"厦门市": ("0592", [("思明区", "350203")]),
               "福州市": ("0591", [("鼓楼区", "350102")])}),
    "CN-SD": ("鲁", ["1395310", "1386392", "1380531"],
              {"青岛市": ("0532", [("崂山区", "370212"), ("市南区", "370202")]),
               "济南市": ("0531", [("历下区", "370102")])}),
    "CN-HA": ("豫", ["1393710", "1383710", "1380371"],
              {"郑州市": ("0371", [("金水区", "410105")]),
               "洛阳市": ("0379", [("西工区", "410303")])}),
    "CN-HB": ("鄂", ["1397101", "1387105", "1380710"],
              {"武汉市": ("027", [("江岸区", "420102"), ("洪山区", "420111")]),
               "宜昌市": ("0717", [("西陵区", "420502")]),
               "襄阳市": ("0710", [("樊城区", "420606")])}),
    "CN-HN": ("湘", ["1397310", "1387310", "1380731"],
              {"长沙市": ("0731", [("岳麓区", "430104")])}),
    "CN-GD": ("粤", ["1382654", "1392654", "1380268", "1390276", "1371345", "1501345"],
              {"深圳市": ("0755", [("南山区", "440305"), ("福田区", "440304")]),
               "广州市": ("020", [("天河区", "440106"), ("越秀区", "440104")]),
               "佛山市": ("0757", [("禅城区", "440604")]),
               "东莞市": ("0769", [("南城街道", "441900")]),
               "珠海市": ("0756", [("香洲区", "440402")]),
               "惠州市": ("0752", [("惠城区", "441302")])}),
    "CN-HI": ("琼", ["1390756", "1387688", "1397681"],
              {"海口市": ("0898", [("龙华区", "460106"), ("美兰区", "460108")]),
               "三亚市": ("0898", [("吉阳区", "460203")])}),
    "CN-CQ": ("渝", ["1390831", "1388312", "1398311"],
              {"重庆市": ("023", [("渝北区", "500112"), ("渝中区", "500103"), ("九龙坡区", "500107")])}),
    "CN-SC": ("蜀", ["1390801", "1388018", "1398080"],
              {"成都市": ("028", [("武侯区", "510107"), ("锦江区", "510104")]),
               "绵阳市": ("0816", [("涪城区", "510703")])}),
    "CN-YN": ("滇", ["1398710", "1388710", "1380871"],
              {"昆明市": ("0871", [("五华区", "530102")])}),
    "CN-SN": ("陕", ["1389180", "1399100"],
              {"西安市": ("029", [("雁塔区", "610113")])}),
    "CN-XJ": ("新", ["1389911", "1399915", "1399910", "1380991"],
              {"乌鲁木齐市": ("0991", [("天山区", "650102"), ("沙依巴克区", "650103")]),
               "克拉玛依市": ("0990", [("克拉玛依区", "650203")]),
               "伊宁市": ("0999", [("伊宁市", "654002")])}),
}

SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
            ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
            ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
            ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"),
            ("曾", "zeng"), ("田", "tian"), ("董", "dong"), ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"),
            ("蒋", "jiang"), ("余", "yu"), ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"),
            ("苏", "su"), ("丁", "ding"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("崔", "cui"),
            ("钟", "zhong"), ("谭", "tan"), ("范", "fan"), ("石", "shi"), ("廖", "liao"), ("夏", "xia"),
            ("方", "fang"), ("白", "bai"), ("孟", "meng"), ("秦", "qin"), ("邱", "qiu"), ("江", "jiang"),
            ("薛", "xue"), ("雷", "lei"), ("侯", "hou"), ("龙", "long"), ("陶", "tao"), ("贺", "he"),
            ("顾", "gu"), ("毛", "mao"), ("邵", "shao"), ("钱", "qian"), ("严", "yan"), ("戴", "dai")]
GIVEN_M = [("海", "hai"), ("涛", "tao"), ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"),
           ("洋", "yang"), ("勇", "yong"), ("杰", "jie"), ("斌", "bin"), ("浩", "hao"), ("鹏", "peng"),
           ("宇", "yu"), ("明", "ming"), ("波", "bo"), ("峰", "feng"), ("辉", "hui"), ("建", "jian"),
           ("志", "zhi"), ("俊", "jun"), ("文", "wen"), ("博", "bo"), ("凯", "kai"), ("晨", "chen"),
           ("超", "chao"), ("亮", "liang"), ("鑫", "xin"), ("东", "dong"), ("昊", "hao"), ("睿", "rui"),
           ("航", "hang"), ("帆", "fan"), ("国", "guo"), ("华", "hua"), ("平", "ping"), ("毅", "yi")]
GIVEN_F = [("静", "jing"), ("丽", "li"), ("敏", "min"), ("燕", "yan"), ("娟", "juan"), ("霞", "xia"),
           ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("颖", "ying"), ("倩", "qian"), ("慧", "hui"),
           ("洁", "jie"), ("蕾", "lei"), ("佳", "jia"), ("欣", "xin"), ("悦", "yue"), ("萍", "ping"),
           ("璐", "lu"), ("雯", "wen"), ("思", "si"), ("雨", "yu"), ("晓", "xiao"), ("梦", "meng"),
           ("楠", "nan"), ("瑶", "yao"), ("芳", "fang"), ("玲", "ling"), ("怡", "yi"), ("岚", "lan")]
ROADS = ["青禾路", "望湖街", "锦程大道", "启明路", "云杉路", "松涛街", "明珠路", "翠柳巷", "长青路",
         "星海大道", "书院街", "知行路", "惠民街", "和畅路", "汇智大道", "枫林路", "新桥街", "朝阳南路",
         "学府路", "紫荆街", "创业大道", "梧桐路", "观澜街", "澄湖路", "兴业路", "临江街"]
BUILDINGS = ["科创大厦", "数码港", "创业园", "软件园", "中心大厦", "商务中心", "科技园", "孵化基地"]

RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def ric_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, RIC_WEIGHTS)) % 11]


def uscc_check(body17: str) -> str:
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - s % 31) % 31]


def wrong(check: str, alphabet: str) -> str:
    """A check character that is certainly wrong."""
    return alphabet[(alphabet.index(check) + 3) % len(alphabet)]


class MobileTable:
    """Longest-prefix lookup in assets/rules/mobile_prefixes.tsv (the table PROV-LOCAL-MOBILE uses)."""

    def __init__(self, path: Path):
        self.map: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            prefix, prov = line.split("\t")
            self.map[prefix] = prov

    def province(self, mobile: str) -> str | None:
        for n in range(7, 2, -1):
            if mobile[:n] in self.map:
                return self.map[mobile[:n]]
        return None


REASONS = {r["code"]: r for r in tomllib.loads((RULES_DIR / "reasons.toml").read_text(encoding="utf-8"))["reason"]}


def reason(code: str, text: str) -> dict:
    if code not in REASONS:
        raise SystemExit(f"gen_demo: reason code {code} is not in assets/rules/reasons.toml")
    return {"code": code, "text": text}


def t(day: int, hh: int, mm: int) -> str:
    return f"2026-11-{day:02d}T{hh:02d}:{mm:02d}:00+08:00"


# ════════════════════════════════════════════════════════════════════════════════════════════
# Generators of people, subjects, sites
# ════════════════════════════════════════════════════════════════════════════════════════════


class Gen:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.mobiles = MobileTable(RULES_DIR / "mobile_prefixes.tsv")
        self.used: set[str] = set()  # names, ids, phones, accounts, codes, ips … (all unique)
        self.images: dict[str, str] = {}

    def unique(self, make) -> str:
        for _ in range(1000):
            v = make()
            if v not in self.used:
                self.used.add(v)
                return v
        raise SystemExit("gen_demo: could not make a unique value")

    # ── people ──────────────────────────────────────────────────────────────────────────────
    def mobile(self, prov: str) -> str:
        prefixes = PROVINCES[prov][1]

        def make() -> str:
            m = self.rng.choice(prefixes) + f"{self.rng.randrange(10000):04d}"
            home = self.mobiles.province(m)
            if home != prov:
                raise SystemExit(f"gen_demo: {m} is {home} in mobile_prefixes.tsv, expected {prov}")
            return m

        return self.unique(make)

    def landline(self, prov: str, city: str) -> str:
        code = PROVINCES[prov][2][city][0]
        return self.unique(lambda: f"{code}-{self.rng.choice('2568')}{self.rng.randrange(1000000, 9999999):07d}")

    def name(self, female: bool) -> tuple[str, str]:
        def make() -> str:
            s, spy = self.rng.choice(SURNAMES)
            pool = GIVEN_F if female else GIVEN_M
            if self.rng.random() < 0.7:
                (g1, p1), (g2, p2) = self.rng.sample(pool, 2)
                return f"{s}{g1}{g2}|{spy}{p1[0]}{p2[0]}"
            g1, p1 = self.rng.choice(pool)
            return f"{s}{g1}|{spy}{p1}"

        zh, handle = self.unique(make).split("|")
        self.used.add(zh)
        return zh, handle

    def resident_id(self, area: str, birth_year: int, female: bool, *, bad_check: bool = False) -> str:
        def make() -> str:
            m, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
            seq = self.rng.randrange(100) * 10 + self.rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
            body = f"{area}{birth_year}{m:02d}{d:02d}{seq:03d}"
            c = ric_check(body)
            return body + (wrong(c, "0123456789X") if bad_check else c)

        return self.unique(make)

    def person(self, prov: str, city: str, *, legal: bool, mail_domain: str, female: bool | None = None,
               age: tuple[int, int] = (27, 56), name: tuple[str, str] | None = None, id_area: str | None = None,
               bad_id: bool = False, office: bool = False, valid_to: str | None = "auto") -> dict:
        if female is None:
            female = self.rng.random() < 0.45
        zh, handle = name if name else self.name(female)
        if name:
            self.used.add(zh)
        area = id_area or self.rng.choice(PROVINCES[prov][2][city][1])[1]
        year = 2026 - self.rng.randint(*age)
        idn = self.resident_id(area, year, female, bad_check=bad_id)
        mobile = self.mobile(prov)
        p = {
            "name": zh,
            "id_type": "resident_id",
            "id_number": idn,
            "mobile": mobile,
            "emergency_phone": self.mobile(prov),
            "email": self.unique(lambda: f"{handle}@{mail_domain}" if f"{handle}@{mail_domain}" not in self.used
                                 else f"{handle}{self.rng.randint(2, 99)}@{mail_domain}"),
        }
        if office:
            p["office_phone"] = self.landline(prov, city)
        if valid_to == "auto":
            age_now = 2026 - year
            if self.rng.random() < 0.75:
                p["id_valid_to"] = "long_term" if age_now >= 46 else f"{self.rng.randint(2029, 2042)}-{idn[10:12]}-{idn[12:14]}"
        elif valid_to:
            p["id_valid_to"] = valid_to
        p["is_legal_representative"] = legal
        return p

    # ── organisations ───────────────────────────────────────────────────────────────────────
    def credit_code(self, prefix: str, area: str, *, bad_check: bool = False, org_marker: str = "MA") -> str:
        def make() -> str:
            tail = "".join(self.rng.choice(USCC_ALPHABET) for _ in range(9 - len(org_marker)))
            body = f"{prefix}{area}{org_marker}{tail}"
            c = uscc_check(body)
            return body + (wrong(c, USCC_ALPHABET) if bad_check else c)

        return self.unique(make)

    def address(self, prov: str, city: str, district: str, *, org: bool) -> tuple[str, str]:
        road = self.rng.choice(ROADS)
        num = self.rng.randint(1, 388)
        head = f"{city}{district}" if district != city else city
        base = f"{head}{road}{num}号"
        if org:
            full = f"{base}{self.rng.choice(BUILDINGS)}{self.rng.randint(2, 22)}层{self.rng.randint(1, 20):02d}室"
        else:
            full = f"{base}{self.rng.randint(1, 30)}栋{self.rng.randint(1, 3)}单元{self.rng.randint(2, 28)}{self.rng.randint(1, 4):02d}室"
        return base, full

    def icp_number(self, prov: str, year: int | None = None) -> str:
        abbr = PROVINCES[prov][0]
        y = year or self.rng.randint(2016, 2025)
        return self.unique(lambda: f"{abbr}ICP备{y}{self.rng.randrange(1, 99999):06d}号")

    def account(self) -> str:
        return self.unique(lambda: "acct-" + "".join(self.rng.choice("0123456789abcdefghjkmnpqrstuvwxyz") for _ in range(10)))

    def ip(self) -> str:
        return self.unique(lambda: f"{self.rng.choice(['121.36', '124.70'])}.{self.rng.randint(1, 254)}.{self.rng.randint(2, 250)}")

    def resource(self) -> str:
        return self.unique(lambda: "ecs-" + "".join(self.rng.choice("0123456789abcdef") for _ in range(8)))

    def auth_code(self) -> str:
        alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return self.unique(lambda: "-".join("".join(self.rng.choice(alnum) for _ in range(4)) for _ in range(4)))

    def public_key(self) -> str:
        modulus = bytes([self.rng.randint(0xC0, 0xFF)]) + bytes(self.rng.randrange(256) for _ in range(255))
        der = (bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100")
               + modulus + bytes.fromhex("0203010001"))
        return base64.b64encode(der).decode()

    def md5(self) -> str:
        return ":".join(f"{self.rng.randrange(256):02X}" for _ in range(16))


# ════════════════════════════════════════════════════════════════════════════════════════════
# Orders
# ════════════════════════════════════════════════════════════════════════════════════════════


@dataclass
class Intent:
    """What an order is meant to show (README table; --verify compares it with the engine)."""
    summary: str                       # English, for the README
    block: list[str] = field(default_factory=list)   # rule ids expected as block
    warn: list[str] = field(default_factory=list)    # rule ids expected as warn
    pair: str | None = None            # key of the other order of a cross-order case


@dataclass
class Draft:
    key: str
    order: dict
    intent: Intent
    first_at: str                      # first submission (orders are numbered in this order)


REVIEWERS = ["reviewer:linx", "reviewer:heyq", "reviewer:sunm", "reviewer:zhaot"]


class Builder:
    def __init__(self, g: Gen):
        self.g = g
        self.drafts: list[Draft] = []

    # ── subjects ────────────────────────────────────────────────────────────────────────────
    def org_subject(self, prov: str, city: str, name: str, mail: str, *, nature: str = "enterprise",
                    district_ix: int = 0, bad_uscc: bool = False, leader: dict | None = None,
                    leader_legal: bool = True, cert_type: str | None = None) -> dict:
        g = self.g
        district, area = PROVINCES[prov][2][city][1][district_ix]
        prefix, marker, ctype = {
            "enterprise": ("91", "MA", "business_licence"),
            "public_institution": ("12", "4", "public_institution_cert"),
            "social_group": ("51", "MJ", "social_group_cert"),
            "government": ("11", "0", "organization_code"),
        }[nature]
        code = g.credit_code(prefix, area, bad_check=bad_uscc, org_marker=marker)
        base, full = g.address(prov, city, district, org=True)
        region = {"province": prov, "city": city}
        if district != city:
            region["district"] = district
        lead = leader or g.person(prov, city, legal=leader_legal, mail_domain=mail, office=g.rng.random() < 0.5)
        return {
            "name": name,
            "nature": nature,
            "certificate": {"type": cert_type or ctype, "number": code, "address": base},
            "region": region,
            "address": full,
            "leader": lead,
        }

    def person_subject(self, prov: str, city: str, person: dict, *, district_ix: int = 0) -> dict:
        g = self.g
        district, _ = PROVINCES[prov][2][city][1][district_ix]
        _, full = g.address(prov, city, district, org=False)
        region = {"province": prov, "city": city}
        if district != city:
            region["district"] = district
        return {
            "name": person["name"],
            "nature": "individual",
            "certificate": {"type": "resident_id", "number": person["id_number"]},
            "region": region,
            "address": full,
            "leader": person,
        }

    # ── sites ───────────────────────────────────────────────────────────────────────────────
    def website(self, name: str, domains: list[str], holder: str, leader: dict, *, expires: str | None = None,
                categories: list[str] | None = None, prepaid: int | None = None, ips: list[str] | None = None,
                method: str = "ecs", languages: list[str] | None = None, services: list[str] | None = None) -> dict:
        g = self.g
        doms = []
        for d in domains:
            year = g.rng.randint(2027, 2029)  # never within 3 months of the November 2026 submissions
            exp = expires or f"{year}-{g.rng.randint(6 if year == 2027 else 1, 12):02d}-{g.rng.randint(1, 28):02d}"
            doms.append({"name": d, "holder": holder, "expires_on": exp})
        access = {"method": method, "resource_id": g.resource()}
        if method == "auth_code":
            access["auth_code"] = g.auth_code()
        access["prepaid_months"] = prepaid if prepaid is not None else g.rng.choice([6, 12, 12, 12, 24, 36])
        return {
            "kind": "website",
            "name": name,
            "domains": doms,
            "ips": ips or [g.ip()],
            "service_types": services or ["website"],
            "languages": languages or ["zh-CN"],
            "content_categories": categories or ["none"],
            "pre_approvals": [],
            "leader": leader,
            "access": access,
        }

    def app(self, name: str, domains: list[str], holder: str, leader: dict, package: str,
            platforms: list[str], **kw) -> dict:
        g = self.g
        s = self.website(name, domains, holder, leader, services=["app"], **kw)
        s["kind"] = "app"
        plats = []
        for p in platforms:
            pkg = package if p != "harmonyos" else package + ".hm"
            plats.append({"platform": p, "package": pkg, "public_key": g.public_key(), "md5": g.md5()})
        s["app"] = {"platforms": plats}
        return s

    # ── materials ───────────────────────────────────────────────────────────────────────────
    def materials(self, o: dict, *, licence: str = "licence-01.jpg", id_set: int = 1, photo: str = "photo-01.jpg",
                  skip: tuple[str, ...] = (), replace: dict[str, str] | None = None, icon: str = "icon-01.png",
                  domain_cert: bool | None = None, commitment: bool = True, letters: bool = True) -> None:
        """Attach the materials a careful applicant uploads for this order (minus `skip`)."""
        replace = replace or {}
        subj = o["subject"]
        org = subj["nature"] != "individual"
        ft = o["filing_type"]
        prov = subj["region"]["province"]
        site_files = ft not in ("cancel_access", "cancel_subject", "cancel_site", "change_subject", "claim")
        mats: list[dict] = []

        def add(kind: str, file: str, site: int | None = None) -> str:
            if kind in skip:
                return ""
            file = replace.get(kind, file)
            m = {"id": f"m{len(mats) + 1}", "kind": kind}
            if site is not None:
                m["site"] = site
            m["file"] = file if file.startswith("../") else f"../materials/{file}"
            m["media_type"] = "image/png" if file.endswith(".png") else "image/jpeg"
            mats.append(m)
            return m["id"]

        if org:
            add("business_licence", licence)
        front, back = f"id-front-0{id_set}.jpg", f"id-back-0{id_set}.jpg"
        other_front, other_back = f"id-front-0{3 - id_set}.jpg", f"id-back-0{3 - id_set}.jpg"
        add("subject_leader_id_front", front)
        add("subject_leader_id_back", back)
        for i, s in enumerate(o["sites"]):
            if not site_files:
                break
            if s["leader"]["id_number"] != subj["leader"]["id_number"]:
                add("site_leader_id_front", other_front, i)
                add("site_leader_id_back", other_back, i)
            add("verification_photo", photo, i)
            if org and letters and not s["leader"]["is_legal_representative"]:
                add("authorization_letter", "auth-letter.jpg", i)
            want_cert = domain_cert if domain_cert is not None else prov in ("CN-JS", "CN-HN", "CN-GZ", "CN-SX", "CN-GS")
            if want_cert and s["domains"]:
                add("domain_certificate", "domain-cert.jpg", i)
            for pa in s["pre_approvals"]:
                pa["material"] = add("pre_approval", "pre-approval.jpg", i)
            if s["kind"] == "app":
                mid = add("app_icon", icon, i)
                if mid:
                    s["app"]["icon_material"] = mid
        if site_files and commitment:
            add("commitment_letter", "commitment-letter.jpg")
        if site_files and prov == "CN-XJ" and ft in ("new_filing", "new_site"):
            add("party_building_cert", "party-building.jpg")
        o["materials"] = mats

    # ── orders ──────────────────────────────────────────────────────────────────────────────
    def order(self, key: str, ftype: str, subject: dict, sites: list[dict], intent: Intent, first_at: str,
              *, account: str | None = None, remarks: str = "") -> dict:
        o = {
            "format": "icp-order/1",
            "id": key,  # numbered later
            "filing_type": ftype,
            "status": "pending",
            "submitted_at": first_at,
            "account": account or self.g.account(),
            "subject": subject,
            "sites": sites,
            "materials": [],
            "history": [{"at": first_at, "actor": "applicant", "event": "submitted"}],
            "remarks": remarks,
        }
        self.drafts.append(Draft(key, o, intent, first_at))
        return o

    # ── life cycles ─────────────────────────────────────────────────────────────────────────
    def reviewer(self) -> str:
        return self.g.rng.choice(REVIEWERS)

    def reject(self, o: dict, at: str, reasons: list[dict], *, who: str | None = None) -> None:
        o["status"] = "rejected"
        o["history"].append({"at": at, "actor": who or self.reviewer(), "event": "rejected", "reasons": reasons})

    def resubmit(self, o: dict, rejected_at: str, reasons: list[dict], resubmitted_at: str, broken) -> None:
        """Make `o` a resubmitted order; `broken(prev)` turns a copy into the rejected version."""
        prev = copy.deepcopy(o)
        prev.pop("previous", None)
        broken(prev)
        who = self.reviewer()
        prev["status"] = "rejected"
        prev["history"] = [o["history"][0], {"at": rejected_at, "actor": who, "event": "rejected", "reasons": reasons}]
        o["status"] = "resubmitted"
        o["submitted_at"] = resubmitted_at
        o["history"] = prev["history"] + [{"at": resubmitted_at, "actor": "applicant", "event": "resubmitted"}]
        o["previous"] = prev

    def approve(self, o: dict, at: str, note: str | None = None) -> None:
        o["status"] = "approved"
        e = {"at": at, "actor": self.reviewer(), "event": "approved"}
        if note:
            e["note"] = note
        o["history"].append(e)

    def schedule_call(self, o: dict, at: str, call_at: str, who: str, note: str) -> None:
        o["status"] = "awaiting_call"
        if who == "subject_leader":
            phone = o["subject"]["leader"]["mobile"]
        elif who.startswith("site_leader:"):
            phone = o["sites"][int(who.split(":")[1])]["leader"]["mobile"]
        else:
            phone = o["sites"][int(who.split(":")[1])]["leader"]["emergency_phone"]
        o["history"].append({"at": at, "actor": self.reviewer(), "event": "call_scheduled", "note": note,
                             "call": {"at": call_at, "who": who, "phone": phone}})

    def call_done(self, o: dict, at: str, who: str, outcome: str = "verified") -> None:
        phone = o["subject"]["leader"]["mobile"] if who == "subject_leader" else o["sites"][int(who.split(":")[1])]["leader"]["mobile"]
        o["history"].append({"at": at, "actor": self.reviewer(), "event": "call_done",
                             "call": {"at": at, "who": who, "phone": phone, "outcome": outcome}})

    def complete(self, o: dict, at: str, subject_icp: str, *, actor: str = "bureau") -> None:
        o["status"] = "completed"
        o["subject"]["icp_number"] = subject_icp
        n_site = 0
        for s in o["sites"]:
            if "icp_number" not in s:
                n_site += 1
                s["icp_number"] = f"{subject_icp}-{n_site}" + ("A" if s["kind"] == "app" else "")
        o["history"].append({"at": at, "actor": actor, "event": "note",
                             "note": f"管局审核通过，主体备案号 {subject_icp}。" if actor == "bureau" else f"认领完成，备案号 {subject_icp}。"})

    def bureau_reject(self, o: dict, at: str, code: str, text: str) -> None:
        o["status"] = "bureau_rejected"
        o["history"].append({"at": at, "actor": "bureau", "event": "bureau_rejected", "reasons": [{"code": code, "text": text}]})

    def withdraw(self, o: dict, at: str, note: str) -> None:
        o["status"] = "withdrawn"
        o["history"].append({"at": at, "actor": "applicant", "event": "withdrawn", "note": note})

    def abandon(self, o: dict, at: str, note: str) -> None:
        o["status"] = "abandoned"
        o["history"].append({"at": at, "actor": "system", "event": "abandoned", "note": note})

    # ── shorthand for the common shapes ─────────────────────────────────────────────────────
    def org_site_order(self, key: str, ftype: str, prov: str, city: str, name: str, mail: str, site_name: str,
                       domains: list[str], intent: Intent, at: str, *, nature: str = "enterprise",
                       same_leader: bool = False, district_ix: int = 0, bad_uscc: bool = False,
                       leader_legal: bool = True, site_kw: dict | None = None) -> dict:
        g = self.g
        subj = self.org_subject(prov, city, name, mail, nature=nature, district_ix=district_ix,
                                bad_uscc=bad_uscc, leader_legal=leader_legal)
        lead = subj["leader"] if same_leader else g.person(prov, city, legal=False, mail_domain=mail)
        site = self.website(site_name, domains, name, lead, **(site_kw or {}))
        return self.order(key, ftype, subj, [site], intent, at)

    def person_site_order(self, key: str, ftype: str, prov: str, city: str, mail: str, site_name: str,
                          domains: list[str], intent: Intent, at: str, *, female: bool | None = None,
                          id_area: str | None = None, site_kw: dict | None = None, district_ix: int = 0,
                          name: tuple[str, str] | None = None) -> dict:
        g = self.g
        p = g.person(prov, city, legal=True, mail_domain=mail, female=female, id_area=id_area, age=(22, 45), name=name)
        subj = self.person_subject(prov, city, p, district_ix=district_ix)
        site = self.website(site_name, domains, p["name"], p, **(site_kw or {}))
        return self.order(key, ftype, subj, [site], intent, at)


def build_orders(b: Builder) -> None:
    g = b.g

    # ── clean orders ────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("clean-gd-enterprise", "new_filing", "CN-GD", "深圳市", "深圳市凌云数据科技有限公司",
                         "lingyunsj.cn", "凌云数据", ["lingyunsj.cn"],
                         Intent("clean: enterprise website, separate site leader with authorisation letter, GD commitment letter"),
                         t(20, 9, 30))
    b.materials(o)

    o = b.person_site_order("clean-zj-individual", "new_filing", "CN-ZJ", "杭州市", "shanyehuacao.cn", "山野花草日志",
                            ["shanyehuacao.cn"],
                            Intent("clean (resubmitted): the rejected version named the site after the applicant (SITE-NAME-PERSON); renamed"),
                            t(15, 20, 10), female=True)
    b.materials(o, id_set=2, photo="photo-02.jpg", commitment=False)
    who = o["subject"]["name"]
    b.resubmit(o, t(16, 10, 5), [reason("R-SITE-NAME-INDIVIDUAL", f"网站名称“{who}的花草日志”含本人姓名，请改为体现网站内容的名称。")],
               t(18, 21, 30), lambda p: p["sites"][0].update(name=f"{who}的花草日志"))

    o = b.org_site_order("clean-bj-new-site", "new_site", "CN-BJ", "北京市", "北京青衡信息技术有限公司",
                         "qingheng-it.com.cn", "青衡开发者文档", ["qingheng-dev.cn"],
                         Intent("clean: new site of an already filed subject (approved after a verification call)"),
                         t(12, 9, 50), site_kw={"prepaid": 12})
    o["subject"]["icp_number"] = g.icp_number("CN-BJ", 2023)
    b.materials(o, licence="licence-02.jpg", photo="photo-02.jpg", commitment=False)
    b.schedule_call(o, t(12, 14, 0), t(13, 10, 0), "site_leader:0", "核实网站负责人身份及网站用途")
    b.call_done(o, t(13, 10, 12), "site_leader:0")
    b.approve(o, t(13, 10, 30), "电话核实通过，提交管局")

    subj = b.org_subject("CN-SC", "成都市", "成都橙信软件有限公司", "chengxin-soft.cn")
    lead = g.person("CN-SC", "成都市", legal=False, mail_domain="chengxin-soft.cn")
    app = b.app("橙信记账本", ["api.chengxin-soft.cn"], subj["name"], lead, "cn.chengxin.ledger",
                ["android", "ios", "harmonyos"], prepaid=12)
    o = b.order("clean-sc-app", "new_filing", subj, [app],
                Intent("clean: app filing on android, ios and harmonyos (valid packages, MD5s, public keys, small icon)"),
                t(21, 10, 15))
    b.materials(o, licence="licence-03.jpg", icon="icon-01.png")

    o = b.org_site_order("clean-sh-new-access", "new_access", "CN-SH", "上海市", "上海澜汐文化传播有限公司",
                         "lanxi-media.cn", "澜汐文化", ["lanxi-media.cn"],
                         Intent("clean: new access of a site filed elsewhere; completed"),
                         t(10, 10, 30), site_kw={"prepaid": 24})
    icp = g.icp_number("CN-SH", 2021)
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, licence="licence-02.jpg")
    b.approve(o, t(11, 9, 40))
    b.complete(o, t(14, 15, 20), icp)

    o = b.org_site_order("clean-js-change-filing", "change_filing", "CN-JS", "南京市", "南京知岸教育科技有限公司",
                         "zhian-edu.cn", "知岸学习社区", ["zhian-edu.cn"],
                         Intent("clean (resubmitted): the rejected version entered the domain as www.zhian-edu.cn"),
                         t(14, 11, 0), site_kw={"prepaid": 12})
    icp = g.icp_number("CN-JS", 2022)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, licence="licence-03.jpg", photo="photo-02.jpg")
    b.resubmit(o, t(14, 16, 40), [reason("R-DOMAIN-FORMAT", "域名请填写主域名 zhian-edu.cn，不要带 www。")], t(17, 9, 15),
               lambda p: p["sites"][0]["domains"][0].update(name="www.zhian-edu.cn"))

    subj = b.org_subject("CN-FJ", "厦门市", "厦门鹭帆网络科技有限公司", "lufan-net.cn")
    lead = g.person("CN-FJ", "厦门市", legal=False, mail_domain="lufan-net.cn")
    web = b.website("鹭帆旅行笔记", ["lufan-net.cn"], subj["name"], lead, prepaid=36)
    app = b.app("鹭帆行程助手", ["api.lufan-net.cn"], subj["name"], lead, "cn.lufan.trip", ["android", "ios"], prepaid=36)
    o = b.order("clean-fj-claim", "claim", subj, [web, app],
                Intent("clean: claim of a filing from the old system (website -1, app -2A); completed"), t(10, 14, 5))
    b.materials(o, licence="licence-01.jpg", icon="icon-02.png")
    b.approve(o, t(11, 9, 20))
    b.complete(o, t(12, 16, 0), g.icp_number("CN-FJ", 2019), actor="system")

    o = b.person_site_order("clean-hi-individual-bureau", "new_filing", "CN-HI", "海口市", "yelin-notes.cn", "椰林读书笔记",
                            ["yelin-notes.cn"],
                            Intent("clean data; the bureau returned it because the SMS verification timed out"),
                            t(11, 16, 20), site_kw={"prepaid": 12})
    b.materials(o, commitment=False)
    b.approve(o, t(12, 10, 10))
    b.bureau_reject(o, t(13, 18, 30), "MIIT-SMS-TIMEOUT",
                    "工信部短信核验超时：网站负责人未在24小时内完成短信核验，订单已退回，请提醒申请人重新提交后及时核验。")

    o = b.org_site_order("clean-sn-cancel-site", "cancel_site", "CN-SN", "西安市", "西安秦川智造科技有限公司",
                         "qinchuan-zz.cn", "秦川智造旧版官网", ["qinchuan-old.cn"],
                         Intent("clean: cancels one site of a filed subject"), t(19, 15, 40))
    icp = g.icp_number("CN-SN", 2018)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-2"
    b.materials(o, licence="licence-02.jpg")

    subj = b.org_subject("CN-XJ", "克拉玛依市", "克拉玛依油城数字科技有限公司", "youcheng-digital.cn")
    lead = g.person("CN-XJ", "克拉玛依市", legal=False, mail_domain="youcheng-digital.cn",
                    name=("阿依古丽·吐尔逊", "ayiguli"), female=True)
    site = b.website("油城数字服务", ["youcheng-digital.cn"], subj["name"], lead, prepaid=12)
    o = b.order("clean-xj-new-site", "new_site", subj, [site],
                Intent("clean (resubmitted): the rejected version had no party-building confirmation (MAT-PARTY-CERT-MISSING)"),
                t(16, 10, 30))
    o["subject"]["icp_number"] = g.icp_number("CN-XJ", 2021)
    b.materials(o, licence="licence-03.jpg")
    b.resubmit(o, t(16, 15, 0), [reason("R-PARTY-CERT", "新疆新增网站须上传党建确认函。")], t(20, 11, 45),
               lambda p: p.update(materials=[m for m in p["materials"] if m["kind"] != "party_building_cert"]))

    subj = b.org_subject("CN-LN", "沈阳市", "沈阳北辰文具贸易有限公司", "beichen-wenju.cn")
    icp = g.icp_number("CN-LN", 2017)
    subj["icp_number"] = icp
    o = b.order("clean-ln-cancel-subject", "cancel_subject", subj, [],
                Intent("clean: cancels the whole subject (no sites left); Liaoning local mobiles"), t(21, 16, 50),
                remarks="公司业务调整，网站已关停，申请注销主体备案。")
    b.materials(o, licence="licence-01.jpg")

    o = b.org_site_order("clean-gd-completed", "new_filing", "CN-GD", "广州市", "广州云麓文化发展有限公司",
                         "yunlu-culture.cn", "云麓文化空间", ["yunlu-culture.cn"],
                         Intent("clean: culture content with a pre-approval document; completed (粤ICP备2026012345号, site -1)"),
                         t(10, 9, 12), site_kw={"categories": ["culture"], "prepaid": 12})
    o["sites"][0]["pre_approvals"] = [{"category": "culture", "number": "粤网文〔2026〕0123-045号", "material": ""}]
    b.materials(o, licence="licence-02.jpg", photo="photo-02.jpg")
    b.approve(o, t(10, 15, 40))
    b.complete(o, t(13, 10, 5), "粤ICP备2026012345号")

    # ── identity ────────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("hi-seal", "new_filing", "CN-HI", "三亚市", "三亚蓝湾潜水旅游有限公司",
                         "lanwan-dive.cn", "蓝湾潜水", ["lanwan-dive.cn"],
                         Intent("Hainan enterprise: the licence must carry the Hainan registration seal (check by eye)",
                                warn=["PROV-HI-SEAL"]), t(19, 11, 25))
    b.materials(o, licence="licence-03.jpg")

    subj = b.org_subject("CN-GD", "广州市", "广州禾穗农业科技有限公司", "hesui-agri.cn", district_ix=1)
    lead = g.person("CN-GD", "广州市", legal=False, mail_domain="hesui-agri.cn", bad_id=True)
    site = b.website("禾穗农技课堂", ["hesui-agri.cn"], subj["name"], lead)
    o = b.order("bad-resident-id", "new_filing", subj, [site],
                Intent("site leader's resident id fails the GB 11643 check character", block=["ID-RESIDENT-CHECKSUM"]),
                t(20, 14, 5))
    b.materials(o)

    o = b.org_site_order("bad-uscc", "new_filing", "CN-ZJ", "宁波市", "宁波港湾供应链管理有限公司",
                         "gangwan-scm.cn", "港湾供应链", ["gangwan-scm.cn"],
                         Intent("unified social credit code fails the GB 32100 check character", block=["ID-USCC-CHECKSUM"]),
                         t(18, 10, 40), bad_uscc=True)
    b.materials(o, licence="licence-02.jpg")

    o = b.org_site_order("halfwidth-brackets", "new_filing", "CN-BJ", "北京市", "星桥科技(北京)有限公司",
                         "xingqiao-tech.cn", "星桥科技", ["xingqiao-tech.cn"],
                         Intent("subject name typed with ASCII brackets (licence says 星桥科技（北京）有限公司)",
                                block=["NAME-HALFWIDTH-BRACKETS"]), t(21, 9, 5), district_ix=1)
    o["sites"][0]["domains"][0]["holder"] = "星桥科技（北京）有限公司"
    b.materials(o, licence="licence-01.jpg", photo="photo-02.jpg", commitment=False)

    o = b.person_site_order("id-expires-soon", "claim", "CN-JS", "常州市", "lanshan-garden.cn", "兰山园艺笔记",
                            ["lanshan-garden.cn"],
                            Intent("claim where the person's id card expires within 3 months of submission",
                                   block=["ID-EXPIRES-SOON"]), t(19, 9, 55))
    o["subject"]["leader"]["id_valid_to"] = "2027-01-20"
    icp = g.icp_number("CN-JS", 2020)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, id_set=2)

    o = b.person_site_order("person-cross-province", "new_filing", "CN-SH", "上海市", "mingyue-shuwu.cn", "明月书屋",
                            ["mingyue-shuwu.cn"],
                            Intent("Anhui-born individual filing in Shanghai without a Shanghai residence permit",
                                   block=["ID-PERSON-CROSS-PROVINCE"]), t(21, 20, 35), id_area="340104")
    b.materials(o, id_set=2, photo="photo-02.jpg", commitment=False)

    # ── contacts ────────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("share-mobile", "new_filing", "CN-JS", "苏州市", "苏州姑苏绣坊文化创意有限公司",
                         "gusu-xiufang.cn", "姑苏绣坊", ["gusu-xiufang.cn"],
                         Intent("site leader entered the subject leader's mobile", block=["CONTACT-LEADERS-SHARE-MOBILE"]),
                         t(18, 15, 20))
    o["sites"][0]["leader"]["mobile"] = o["subject"]["leader"]["mobile"]
    b.materials(o)

    o = b.org_site_order("share-email", "new_site", "CN-SC", "绵阳市", "绵阳科睿检测技术有限公司",
                         "kerui-test.cn", "科睿检测服务", ["kerui-jc.cn"],
                         Intent("site leader entered the subject leader's e-mail", block=["CONTACT-LEADERS-SHARE-EMAIL"]),
                         t(20, 10, 50))
    o["subject"]["icp_number"] = g.icp_number("CN-SC", 2022)
    o["sites"][0]["leader"]["email"] = o["subject"]["leader"]["email"]
    b.materials(o, licence="licence-03.jpg", photo="photo-02.jpg")

    o = b.org_site_order("emergency-collides", "new_filing", "CN-SH", "上海市", "上海青芒网络科技有限公司",
                         "qingmang-net.cn", "青芒壁纸", ["qingmang-net.cn"],
                         Intent("site leader's emergency phone is the subject leader's mobile", block=["CONTACT-EMERGENCY-COLLIDES"]),
                         t(19, 16, 10), district_ix=2)
    o["sites"][0]["leader"]["emergency_phone"] = o["subject"]["leader"]["mobile"]
    b.materials(o, licence="licence-01.jpg")

    p = g.person("CN-GD", "深圳市", legal=True, mail_domain="xiaoyu-blog.cn", age=(24, 40))
    p["emergency_phone"] = p["mobile"]
    subj = b.person_subject("CN-GD", "深圳市", p)
    subj["icp_number"] = g.icp_number("CN-GD", 2020)
    o = b.order("emergency-same", "cancel_subject", subj, [],
                Intent("cancellation with the emergency phone equal to the person's own mobile; withdrawn",
                       block=["CONTACT-EMERGENCY-SAME"]), t(14, 15, 0))
    b.materials(o, id_set=2)
    b.withdraw(o, t(15, 9, 30), "申请人撤销：个人网站仍在使用，暂不注销。")

    # cross-order: the same freelance web admin is site leader for two companies
    freelancer = g.person("CN-GD", "深圳市", legal=False, mail_domain="mowen-studio.cn", name=("莫文轩", "mowx"), female=False)
    subj = b.org_subject("CN-GD", "深圳市", "深圳市拾光印象摄影有限公司", "shiguang-photo.cn", district_ix=1)
    o = b.order("leader-multi-a", "new_filing", subj,
                [b.website("拾光印象摄影", ["shiguang-photo.cn"], subj["name"], freelancer)],
                Intent("site leader is also the site leader of another company's order", block=["CONTACT-SITE-LEADER-MULTI-SUBJECT"],
                       pair="leader-multi-b"), t(17, 11, 30))
    b.materials(o, licence="licence-02.jpg")
    subj = b.org_subject("CN-GD", "深圳市", "深圳市鲸落餐饮管理有限公司", "jingluo-food.cn")
    o = b.order("leader-multi-b", "new_site", subj,
                [b.website("鲸落小馆", ["jingluo-food.cn"], subj["name"], copy.deepcopy(freelancer))],
                Intent("(resubmitted) same site leader as another company's order; the rejected version had an all-Latin site name",
                       block=["CONTACT-SITE-LEADER-MULTI-SUBJECT"], pair="leader-multi-a"), t(14, 14, 0))
    o["subject"]["icp_number"] = g.icp_number("CN-GD", 2024)
    b.materials(o, licence="licence-03.jpg", photo="photo-02.jpg")
    b.resubmit(o, t(15, 10, 20), [reason("R-SITE-NAME", "网站名称不能为纯英文字母（“Whale Bistro”），请使用中文名称。")],
               t(19, 16, 5), lambda p: p["sites"][0].update(name="Whale Bistro"))

    o = b.org_site_order("mobile-reused", "new_filing", "CN-ZJ", "湖州市", "湖州竹影家居用品有限公司",
                         "zhuying-home.cn", "竹影家居", ["zhuying-home.cn"],
                         Intent("subject leader's mobile belongs to a different person of another subject ({clean-gd-enterprise}); abandoned after rejection",
                                block=["CONTACT-MOBILE-REUSED"]), t(13, 13, 0))
    b.materials(o, licence="licence-01.jpg")
    # filled in after all orders exist (needs the clean GD order's subject leader)
    b.reject(o, t(14, 9, 45), [reason("R-CONTACT-OTHER-SUBJECT", "主体负责人手机号码已登记在其他主体的另一人名下，请使用本人手机号码。")])
    b.abandon(o, t(21, 0, 5), "驳回后超过7天未修改，系统自动放弃。")

    o = b.org_site_order("ln-non-local-mobile", "new_filing", "CN-LN", "大连市", "大连海韵船舶配件有限公司",
                         "haiyun-marine.cn", "海韵船舶配件", ["haiyun-marine.cn"],
                         Intent("Liaoning: the site leader's mobile is a Guangdong number", block=["PROV-LOCAL-MOBILE"]),
                         t(20, 11, 35))
    o["sites"][0]["leader"]["mobile"] = g.mobile("CN-GD")
    b.materials(o, licence="licence-02.jpg", photo="photo-02.jpg")

    # ── domains ─────────────────────────────────────────────────────────────────────────────
    o = b.person_site_order("domain-www", "new_filing", "CN-ZJ", "温州市", "ouxiang-run.cn", "瓯江夜跑记录",
                            ["www.ouxiang-run.cn"],
                            Intent("domain entered as www.ouxiang-run.cn", block=["DOMAIN-WWW"]), t(21, 22, 10))
    b.materials(o, commitment=False)

    o = b.org_site_order("domain-holder", "new_filing", "CN-GD", "东莞市", "东莞市精工五金制品有限公司",
                         "jinggong-hw.cn", "精工五金", ["jinggong-hw.cn"],
                         Intent("domain is held by the web agency's employee, not the company; rejected",
                                block=["DOMAIN-HOLDER-MISMATCH"]), t(12, 10, 0))
    agency_guy, _ = g.name(False)
    o["sites"][0]["domains"][0]["holder"] = agency_guy
    b.materials(o, licence="licence-03.jpg")
    b.reject(o, t(12, 15, 30), [reason("R-DOMAIN-HOLDER",
                                       f"域名 jinggong-hw.cn 的实名持有者为“{agency_guy}”，须先过户到“东莞市精工五金制品有限公司”名下。")])

    o = b.org_site_order("domain-expires", "new_filing", "CN-SD", "济南市", "济南泉城优选电子商务有限公司",
                         "quancheng-yx.cn", "泉城优选", ["quancheng-yx.cn"],
                         Intent("domain expires on 2027-01-31, less than 3 months after submission", block=["DOMAIN-EXPIRES-SOON"]),
                         t(18, 14, 25), site_kw={"expires": "2027-01-31"})
    b.materials(o, licence="licence-01.jpg")

    o = b.person_site_order("tld-io", "new_filing", "CN-BJ", "北京市", "kaiyuan-notes.io", "开源拾贝",
                            ["kaiyuan-notes.io"],
                            Intent(".io is not an approved TLD", block=["DOMAIN-TLD-NOT-APPROVED"]), t(20, 23, 40),
                            district_ix=2)
    b.materials(o, id_set=2, commitment=False)

    o = b.org_site_order("org-tld-bj", "new_filing", "CN-BJ", "北京市", "北京市海淀区青少年围棋协会",
                         "hdwq-assn.org", "海淀青少年围棋", ["hdwq-assn.org"],
                         Intent("social group with a .org domain, which the Beijing bureau does not accept", block=["PROV-ORG-TLD"]),
                         t(17, 9, 35), nature="social_group", same_leader=True)
    b.materials(o, licence="licence-01.jpg", commitment=False)

    o = b.org_site_order("gov-domain", "new_filing", "CN-HA", "洛阳市", "洛阳市西工区智慧城市建设办公室",
                         "xigong-zhcs.gov.cn", "西工区智慧城市服务", ["xigong-zhcs.gov.cn"],
                         Intent("government body filing a gov.cn domain (usually needs no filing: check)",
                                warn=["DOMAIN-GOV-NO-FILING"]), t(18, 9, 10), nature="government", same_leader=True)
    b.materials(o, licence="licence-02.jpg", commitment=False)

    # ── sites ───────────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("national-prefix", "new_filing", "CN-ZJ", "绍兴市", "绍兴越醇酒业有限公司",
                         "yuechun-wine.cn", "中国黄酒文化网", ["yuechun-wine.cn"],
                         Intent("site name starts with 中国 for a company", block=["SITE-NAME-NATIONAL"]), t(20, 15, 15))
    b.materials(o, licence="licence-03.jpg")

    o = b.org_site_order("finance-words", "new_filing", "CN-SH", "上海市", "上海沐川投资管理有限公司",
                         "muchuan-im.cn", "沐川研究", ["muchuan-im.cn"],
                         Intent("subject name contains 投资管理 and there is no finance pre-approval", block=["SITE-FINANCE-WORDS"]),
                         t(21, 11, 5), district_ix=1)
    b.materials(o, licence="licence-02.jpg", photo="photo-02.jpg")

    o = b.person_site_order("individual-studio", "new_filing", "CN-HN", "长沙市", "xiaofeng-foto.cn", "晓峰摄影工作室",
                            ["xiaofeng-foto.cn"],
                            Intent("individual's site named …工作室 (studio): sounds like a business", warn=["SITE-NAME-INDIVIDUAL"]),
                            t(19, 21, 0), name=("周晓峰", "zhouxf"), female=False)
    b.materials(o, commitment=False)

    o = b.person_site_order("individual-company", "new_filing", "CN-HA", "郑州市", "yunfan-dev.cn", "云帆网络科技公司",
                            ["yunfan-dev.cn"],
                            Intent("individual's site named …公司 (company); rejected", block=["SITE-NAME-INDIVIDUAL"]),
                            t(13, 11, 15))
    b.materials(o, id_set=2, commitment=False)
    b.reject(o, t(13, 16, 0), [reason("R-SITE-NAME-INDIVIDUAL", "个人网站名称不能含“公司”字样，请改为体现个人网站内容的名称。")])

    o = b.org_site_order("news-no-preapproval", "new_filing", "CN-GD", "佛山市", "佛山禅韵传媒有限公司",
                         "chanyun-media.cn", "禅城社区资讯", ["chanyun-media.cn"],
                         Intent("content category news without a pre-approval", block=["SITE-PREAPPROVAL-MISSING"]),
                         t(19, 10, 0), site_kw={"categories": ["news"]})
    b.materials(o, licence="licence-01.jpg")

    o = b.org_site_order("private-ip", "new_site", "CN-JS", "无锡市", "无锡锡鼎机电设备有限公司",
                         "xiding-me.cn", "锡鼎机电产品中心", ["xiding-jd.cn"],
                         Intent("server IP is a private address (192.168.10.23)", block=["SITE-IP-FORMAT"]), t(20, 16, 45),
                         site_kw={"ips": ["192.168.10.23"]})
    o["subject"]["icp_number"] = g.icp_number("CN-JS", 2021)
    b.materials(o, licence="licence-03.jpg")

    o = b.org_site_order("ip-not-provider", "new_site", "CN-GD", "惠州市", "惠州西湖电子科技有限公司",
                         "xihu-dz.cn", "西湖电子产品展示", ["xihu-dz.com"],
                         Intent("server IP is public but outside this provider's address ranges", block=["SITE-IP-NOT-PROVIDER"]),
                         t(22, 9, 20), site_kw={"ips": ["106.15.32.77"]})
    o["subject"]["icp_number"] = g.icp_number("CN-GD", 2023)
    b.materials(o, licence="licence-02.jpg")

    o = b.org_site_order("languages-many", "new_filing", "CN-SD", "青岛市", "青岛市崂山区茶文化研究会",
                         "laoshan-tea.cn", "崂山茶文化", ["laoshan-tea.cn"],
                         Intent("social group selected two site languages (zh-CN and en)", warn=["SITE-LANGUAGES-MANY"]),
                         t(17, 14, 50), nature="social_group", site_kw={"languages": ["zh-CN", "en"]})
    b.materials(o, licence="licence-03.jpg", commitment=False)

    o = b.org_site_order("education-word", "new_filing", "CN-HB", "武汉市", "武汉市江岸区社区继续教育服务中心",
                         "jiangan-cedu.cn", "江岸继续教育在线", ["jiangan-cedu.cn"],
                         Intent("public institution; site name contains 教育 (legacy pre-approval category): a call is scheduled",
                                warn=["SITE-NAME-PREAPPROVAL-WORD"]), t(17, 10, 0), nature="public_institution")
    b.materials(o, licence="licence-01.jpg")
    b.schedule_call(o, t(18, 15, 0), t(23, 10, 0), "subject_leader", "确认网站是否提供需前置审批的教育培训内容")

    # ── apps ────────────────────────────────────────────────────────────────────────────────
    subj = b.org_subject("CN-TJ", "天津市", "天津渤海湾物联科技有限公司", "bhw-iot.cn")
    lead = g.person("CN-TJ", "天津市", legal=False, mail_domain="bhw-iot.cn")
    app = b.app("渤海湾智能门锁", ["api.bhw-iot.cn"], subj["name"], lead, "cn.bhwiot.smartlock", ["android", "ios"])
    o = b.order("app-icon-big", "new_filing", subj, [app],
                Intent("app icon file is about 142 KB (limit 100 KB)", block=["APP-ICON-TOO-LARGE"]), t(21, 14, 30))
    b.materials(o, licence="licence-02.jpg", icon="icon-big.png")

    subj = b.org_subject("CN-SC", "成都市", "成都蓉城悦动体育文化有限公司", "rcyd-sports.cn", district_ix=1)
    lead = g.person("CN-SC", "成都市", legal=False, mail_domain="rcyd-sports.cn")
    app = b.app("悦动约球", ["api.rcyd-sports.cn"], subj["name"], lead, "cn.rcyd.yueqiu", ["android", "harmonyos"])
    app["app"]["platforms"][1]["platform"] = "华为应用市场"
    icp = g.icp_number("CN-SC", 2023)
    subj["icp_number"] = icp
    app["icp_number"] = icp + "-1A"
    o = b.order("app-store-platform", "change_filing", subj, [app],
                Intent("app platform entered as an app store (华为应用市场) instead of HarmonyOS; rejected",
                       block=["APP-PLATFORM-NOT-RUNTIME"]), t(14, 9, 40))
    b.materials(o, licence="licence-03.jpg", icon="icon-02.png")
    b.reject(o, t(14, 14, 20), [reason("R-APP-INFO", "运行平台请填写“HarmonyOS”，不要填写应用市场名称。")])

    p = g.person("CN-GD", "深圳市", legal=True, mail_domain="pomodoro-xz.cn", age=(24, 38))
    subj = b.person_subject("CN-GD", "深圳市", p, district_ix=1)
    app = b.app("小舟番茄钟", ["api.pomodoro-xz.cn"], p["name"], p, "cn.xiaozhou.pomodoro", ["ios", "android"], prepaid=12)
    o = b.order("dark-photo", "new_filing", subj, [app],
                Intent("individual app; the verification photo has a dark background: a call is scheduled",
                       warn=["MAT-VERIFY-PHOTO-BACKGROUND"]), t(19, 20, 0))
    b.materials(o, photo="photo-dark.jpg", icon="icon-02.png")
    b.schedule_call(o, t(20, 10, 0), t(24, 9, 30), "site_leader:0", "核验照背景为深色，电话确认是否本人现场拍摄，必要时重拍")

    # ── access ──────────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("prepaid-short", "new_filing", "CN-YN", "昆明市", "昆明春城花卉供应链有限公司",
                         "chuncheng-flower.cn", "春城花卉", ["chuncheng-flower.cn"],
                         Intent("the ECS instance is prepaid for 1 month only", block=["ACCESS-PREPAID-SHORT"]),
                         t(20, 9, 5), site_kw={"prepaid": 1})
    b.materials(o, licence="licence-01.jpg")

    o = b.org_site_order("authcode-a", "new_access", "CN-CQ", "重庆市", "重庆山城火锅食品有限公司",
                         "shancheng-hotpot.cn", "山城火锅", ["shancheng-hotpot.cn"],
                         Intent("authorisation code used by two orders (this one already approved)", block=["ACCESS-AUTHCODE-REUSED"],
                                pair="authcode-b"), t(13, 10, 20), site_kw={"method": "auth_code", "prepaid": 12})
    icp = g.icp_number("CN-CQ", 2020)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, licence="licence-02.jpg")
    b.approve(o, t(14, 9, 10))
    shared_access = o["sites"][0]["access"]

    o = b.org_site_order("authcode-b", "new_site", "CN-GD", "珠海市", "珠海横琴鲸帆信息科技有限公司",
                         "jingfan-info.cn", "鲸帆工具箱", ["jingfan-tools.cn"],
                         Intent("reuses the authorisation code of another order", block=["ACCESS-AUTHCODE-REUSED"],
                                pair="authcode-a"), t(21, 15, 55), site_kw={"method": "auth_code"})
    o["subject"]["icp_number"] = g.icp_number("CN-GD", 2022)
    o["sites"][0]["access"] = copy.deepcopy(shared_access)
    b.materials(o, licence="licence-03.jpg", photo="photo-02.jpg")

    # ── materials ───────────────────────────────────────────────────────────────────────────
    o = b.org_site_order("licence-greyscale", "change_subject", "CN-HB", "宜昌市", "宜昌三峡云谷数据服务有限公司",
                         "sxyungu.cn", "三峡云谷", ["sxyungu.cn"],
                         Intent("change of subject (new address) with a greyscale licence scan", block=["MAT-NOT-COLOUR"]),
                         t(20, 13, 20))
    icp = g.icp_number("CN-HB", 2019)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, licence="licence-grey.jpg")

    o = b.org_site_order("material-missing", "new_filing", "CN-FJ", "福州市", "福州榕树下教育咨询有限公司",
                         "rongshuxia-edu.cn", "榕树下升学规划", ["rongshuxia-edu.cn"],
                         Intent("the verification photo's file is missing from storage", block=["MAT-FILE-MISSING"]),
                         t(21, 10, 40))
    b.materials(o, licence="licence-01.jpg", replace={"verification_photo": "../materials/photo-0117-upload.jpg"})

    o = b.person_site_order("small-id", "new_filing", "CN-JS", "南通市", "jianghai-diaoyu.cn", "江海钓鱼日记",
                            ["jianghai-diaoyu.cn"],
                            Intent("id front photo is only 480×302 px (hard to read)", warn=["MAT-RESOLUTION-LOW"]),
                            t(22, 8, 45), female=False)
    b.materials(o, replace={"subject_leader_id_front": "id-front-small.jpg"})

    o = b.org_site_order("xj-no-party-cert", "new_filing", "CN-XJ", "乌鲁木齐市", "乌鲁木齐天山雪莲农产品有限公司",
                         "tsxuelian.cn", "天山雪莲农产品", ["tsxuelian.cn"],
                         Intent("Xinjiang new filing without the party-building confirmation", block=["MAT-PARTY-CERT-MISSING"]),
                         t(19, 12, 30))
    b.materials(o, licence="licence-02.jpg", skip=("party_building_cert",))

    o = b.org_site_order("auth-letter-missing", "change_site", "CN-CQ", "重庆市", "重庆两江云帆物流有限公司",
                         "ljyunfan-56.cn", "云帆物流查询", ["ljyunfan-56.cn"],
                         Intent("(resubmitted) prepaid period fixed, but the site leader's authorisation letter is still missing",
                                block=["MAT-AUTH-LETTER-MISSING"]), t(15, 9, 0), district_ix=2)
    icp = g.icp_number("CN-CQ", 2021)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    o["sites"][0]["access"]["prepaid_months"] = 12
    b.materials(o, licence="licence-03.jpg", letters=False)
    b.resubmit(o, t(15, 14, 30),
               [reason("R-RESOURCE-PREPAID", "备案云服务器剩余包月时长仅1个月，请续费至3个月以上。"),
                reason("R-AUTH-LETTER", "网站负责人不是法定代表人，请上传法定代表人签字盖章的授权书。")],
               t(21, 10, 40), lambda p: p["sites"][0]["access"].update(prepaid_months=1))

    # ── filing type and status ──────────────────────────────────────────────────────────────
    o = b.org_site_order("dup-a", "new_filing", "CN-GD", "广州市", "广州南沙港联货运代理有限公司",
                         "nsganglian.cn", "港联货代", ["nsganglian.cn"],
                         Intent("the account submitted the same filing twice (this one waits for a call)", block=["TYPE-IN-PROGRESS"],
                                pair="dup-b"), t(18, 9, 0))
    b.materials(o, licence="licence-01.jpg")
    dup = copy.deepcopy(o)
    b.schedule_call(o, t(19, 11, 0), t(23, 14, 30), "site_leader:0", "核实网站负责人与主体关系")
    dup["submitted_at"] = t(19, 17, 25)
    dup["history"] = [{"at": t(19, 17, 25), "actor": "applicant", "event": "submitted"}]
    dup["remarks"] = "之前的订单一直没有进展，重新提交一次。"
    b.drafts.append(Draft("dup-b", dup, Intent("duplicate order of the same account while the first is still under review",
                                              block=["TYPE-IN-PROGRESS"], pair="dup-a"), t(19, 17, 25)))

    subj = b.org_subject("CN-GD", "深圳市", "深圳市蓝鲸智联科技有限公司", "lanjing-zl.cn")
    lead = g.person("CN-GD", "深圳市", legal=False, mail_domain="lanjing-zl.cn")
    icp = g.icp_number("CN-GD", 2021)
    subj["icp_number"] = icp
    s1 = b.website("蓝鲸智联", ["lanjing-zl.cn"], subj["name"], lead, prepaid=12)
    s2 = b.website("蓝鲸开发者中心", ["lanjing-dev.cn"], subj["name"], lead, prepaid=12)
    s1["icp_number"], s2["icp_number"] = icp + "-1", icp + "-2"
    o = b.order("change-site-two", "change_site", subj, [s1, s2],
                Intent("change_site naming two sites (it changes one site at a time)", block=["TYPE-SITE-COUNT"]), t(20, 17, 0))
    b.materials(o, licence="licence-02.jpg")

    o = b.person_site_order("personal-contact-change", "change_subject", "CN-ZJ", "杭州市", "qiaoxi-sketch.cn", "桥西速写",
                            ["qiaoxi-sketch.cn"],
                            Intent("individual changing contact details with change_subject instead of change_filing",
                                   block=["TYPE-PERSONAL-CONTACT-CHANGE"]), t(21, 19, 20), district_ix=1,
                            female=True, site_kw={"prepaid": 12})
    icp = g.icp_number("CN-ZJ", 2022)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    o["remarks"] = "更换了手机号码，申请变更联系方式。"
    b.materials(o, id_set=2, commitment=False)

    o = b.org_site_order("cancel-access-bj", "cancel_access", "CN-BJ", "北京市", "北京知行远景咨询有限公司",
                         "zhixing-yj.cn", "知行远景", ["zhixing-yj.cn"],
                         Intent("cancel access: the site may become an empty shell (confirm another provider serves it)",
                                warn=["TYPE-CANCEL-ACCESS-SHELL"]), t(18, 16, 30))
    icp = g.icp_number("CN-BJ", 2019)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-1"
    b.materials(o, licence="licence-03.jpg")

    o = b.org_site_order("cancel-access-sh", "cancel_access", "CN-SH", "上海市", "上海鹿鸣教育信息咨询有限公司",
                         "luming-edu.cn", "鹿鸣升学资讯", ["luming-edu.cn"],
                         Intent("cancel access (completed); the shell-site warning shows on every cancel_access",
                                warn=["TYPE-CANCEL-ACCESS-SHELL"]), t(11, 9, 0), district_ix=1)
    icp = g.icp_number("CN-SH", 2018)
    o["subject"]["icp_number"] = icp
    o["sites"][0]["icp_number"] = icp + "-3"
    b.materials(o, licence="licence-01.jpg")
    b.approve(o, t(11, 11, 0), "已确认网站由其他接入商继续接入")
    b.complete(o, t(12, 17, 10), icp)

    p = g.person("CN-HI", "海口市", legal=True, mail_domain="haikou-run.cn", age=(28, 45))
    subj = b.person_subject("CN-HI", "海口市", p, district_ix=1)
    icp = g.icp_number("CN-HI", 2020)
    subj["icp_number"] = icp
    s1 = b.website("海口跑步地图", ["haikou-run.cn"], p["name"], p)
    s2 = b.website("椰城骑行日记", ["yecheng-ride.cn"], p["name"], p)
    s1["icp_number"], s2["icp_number"] = icp + "-1", icp + "-2"
    o = b.order("cancel-site-two", "cancel_site", subj, [s1, s2],
                Intent("cancel_site naming two sites; rejected, then abandoned by the applicant", block=["TYPE-SITE-COUNT"]),
                t(12, 11, 0))
    b.materials(o, commitment=False)
    b.reject(o, t(12, 16, 0), [reason("R-FILING-TYPE", "注销网站每次只能针对一个网站，请分别提交，或选择注销主体。")])
    b.abandon(o, t(19, 16, 0), "申请人放弃本订单，将分别提交两个注销网站订单。")

    # ── province rules ──────────────────────────────────────────────────────────────────────
    o = b.org_site_order("cq-leader-not-legal", "new_filing", "CN-CQ", "重庆市", "重庆渝味坊餐饮管理有限公司",
                         "yuweifang.cn", "渝味坊", ["yuweifang.cn"],
                         Intent("Chongqing: the subject leader is not the legal representative", block=["PROV-LEADER-LEGALREP"]),
                         t(20, 10, 25), leader_legal=False, district_ix=1)
    b.materials(o, licence="licence-01.jpg")

    o = b.person_site_order("xj-two-domains", "new_filing", "CN-XJ", "伊宁市", "yili-lavender.cn", "伊犁薰衣草游记",
                            ["yili-lavender.cn", "yili-xunyicao.cn"],
                            Intent("Xinjiang: one site lists two domains (one domain per site)", block=["PROV-ONE-DOMAIN"]),
                            t(22, 10, 5), name=("艾力·买买提", "aili"), female=False)
    b.materials(o, commitment=False)

    subj = b.org_subject("CN-HB", "襄阳市", "襄阳古隆中文旅发展有限公司", "glz-wenlv.cn")
    lead = g.person("CN-HB", "襄阳市", legal=False, mail_domain="glz-wenlv.cn")
    s1 = b.website("古隆中文旅", ["glz-wenlv.cn"], subj["name"], lead)
    s2 = b.website("隆中研学营地", ["lz-yanxue.cn"], subj["name"], lead)
    o = b.order("hb-two-sites", "new_filing", subj, [s1, s2],
                Intent("Hubei accepts one site per order; withdrawn by the applicant", block=["PROV-DOMAIN-CAP"]), t(15, 10, 0))
    b.materials(o, licence="licence-02.jpg")
    b.withdraw(o, t(16, 11, 0), "按湖北管局要求拆分为单个网站后再提交。")

    # the abandoned order reuses the clean Guangdong order's subject leader mobile (a different person)
    find = {d.key: d.order for d in b.drafts}
    find["mobile-reused"]["subject"]["leader"]["mobile"] = find["clean-gd-enterprise"]["subject"]["leader"]["mobile"]


# ════════════════════════════════════════════════════════════════════════════════════════════
# Output
# ════════════════════════════════════════════════════════════════════════════════════════════

KEY_ORDER = {
    "order": ["format", "id", "filing_type", "status", "submitted_at", "account", "subject", "sites", "materials",
              "history", "remarks", "previous"],
    "subject": ["name", "nature", "certificate", "region", "address", "icp_number", "leader"],
    "person": ["name", "id_type", "id_number", "mobile", "emergency_phone", "email", "office_phone", "id_valid_to",
               "is_legal_representative"],
    "site": ["kind", "name", "icp_number", "domains", "ips", "service_types", "languages", "content_categories",
             "pre_approvals", "leader", "access", "app"],
    "access": ["method", "resource_id", "auth_code", "prepaid_months"],
    "material": ["id", "kind", "site", "file", "media_type", "sha256"],
    "event": ["at", "actor", "event", "reasons", "note", "call"],
}


def ordered(d: dict, kind: str) -> dict:
    keys = KEY_ORDER[kind]
    unknown = set(d) - set(keys)
    if unknown:
        raise SystemExit(f"gen_demo: unexpected {kind} fields {sorted(unknown)}")
    return {k: d[k] for k in keys if k in d}


def canonical(o: dict) -> dict:
    o = ordered(o, "order")
    o["subject"] = ordered(o["subject"], "subject")
    o["subject"]["leader"] = ordered(o["subject"]["leader"], "person")
    sites = []
    for s in o["sites"]:
        s = ordered(s, "site")
        s["leader"] = ordered(s["leader"], "person")
        s["access"] = ordered(s["access"], "access")
        sites.append(s)
    o["sites"] = sites
    o["materials"] = [ordered(m, "material") for m in o["materials"]]
    o["history"] = [ordered(e, "event") for e in o["history"]]
    if "previous" in o:
        o["previous"] = canonical(o["previous"])
    return o


def attach_digests(o: dict) -> None:
    """Declare each material's SHA-256 as an uploader would (only for files that exist)."""
    import hashlib

    for m in o["materials"]:
        path = (ORDERS_DIR / m["file"]).resolve()
        if path.is_file():
            m["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    if "previous" in o:
        attach_digests(o["previous"])


def number(b: Builder) -> dict[str, str]:
    """Order ids follow the first submission time; returns key -> id."""
    ids = {}
    for n, d in enumerate(sorted(b.drafts, key=lambda d: (d.first_at, d.key)), start=1):
        ids[d.key] = f"DEMO-2026-{n:04d}"
    for d in b.drafts:
        d.order["id"] = ids[d.key]
        if "previous" in d.order:
            d.order["previous"]["id"] = ids[d.key]
    return ids


TYPE_ZH = {"new_filing": "首次备案", "new_access": "新增接入", "new_site": "新增网站", "change_subject": "变更主体",
           "change_site": "变更网站", "change_filing": "变更备案", "cancel_access": "取消接入",
           "cancel_subject": "注销主体", "cancel_site": "注销网站", "claim": "认领备案"}


def readme(b: Builder, ids: dict[str, str]) -> str:
    rows = []
    for d in sorted(b.drafts, key=lambda d: ids[d.key]):
        o, it = d.order, d.intent
        what = it.summary.format_map(ids)
        if it.pair:
            what += f" (pair: {ids[it.pair]})"
        findings = ", ".join([f"`{r}`" for r in it.block] + [f"`{r}` (warn)" for r in it.warn]) or "—"
        rows.append(f"| {ids[d.key]} | {o['filing_type']} {TYPE_ZH[o['filing_type']]} | {o['subject']['region']['province']} "
                    f"| {o['subject']['nature']} | {o['status']} | {what} | {findings} |")
    n = len(b.drafts)
    clean = sum(1 for d in b.drafts if not d.intent.block and not d.intent.warn)
    queue = sum(1 for d in b.drafts if d.order["status"] in ("pending", "resubmitted"))
    return f"""# Demo dataset

The orders the embedded store imports on first start, so that reviewers and testers have a realistic
queue to work on: {n} ICP filing orders (`orders/*.json`, one order per file in the
[order format](../../../shared/spec/order-format.md), `icp-order/1`) and the material images they
point to (`materials/`, referenced as `../materials/…` relative to each order file).

**Everything here is invented.** The people, their resident id numbers (18 characters with a valid
GB 11643 check character, area codes of the filing province, adult birth dates), the companies and
their unified social credit codes (valid GB 32100 check character), the addresses below district
level, the domains, the mobile numbers (only their prefixes are chosen to look local to the
province), the apps, keys and fingerprints, the filing numbers, and the material images (drawn
shapes with Latin placeholder text such as "BUSINESS LICENCE (DEMO)"; no real document). City and
district names and area codes are real so that the province rules apply. Any resemblance of a name,
number or domain to a real one is a coincidence.

## Regenerate

```sh
pip install pillow
python3 scripts/gen_demo.py            # rewrites assets/demo/ (orders, materials, this README)
python3 scripts/gen_demo.py --verify   # … then runs target/debug/icp-review check and compares
```

The generator is deterministic (fixed seed): the same Python and Pillow versions reproduce the
same bytes. It reads `assets/rules/mobile_prefixes.tsv` and `assets/rules/reasons.toml` and stops
if a mobile number or a rejection reason code no longer fits them. Check the orders together so
that the cross-order rules see each other:

```sh
cargo build && ./target/debug/icp-review check --format json assets/demo/orders/*.json
```

## What is in it

- {queue} orders are `pending` or `resubmitted` (the queue has work); every status appears:
  `pending`, `resubmitted` (each with `previous`, the rejected version, differing in the fields
  the rejection named), `awaiting_call` (a `call_scheduled` event with `call`), `approved`,
  `rejected`, `bureau_rejected` (the bureau's SMS-verification time-out; its reason code
  `MIIT-SMS-TIMEOUT` is the bureau's, not one of `assets/rules/reasons.toml`), `completed`
  (with filing numbers), `withdrawn`, `abandoned`. Reviewer rejections use the reason codes of
  `assets/rules/reasons.toml`.
- Every filing type at least twice; websites and apps (android, ios, harmonyos).
- {clean} orders are clean (no finding at all); the others each carry one deliberate problem, so
  every rule family shows up. Cross-order cases come in pairs and both orders of a pair show the
  finding (except the abandoned order: withdrawn and abandoned orders hold nothing, so the order
  whose mobile it reuses stays clean).
- `submitted_at` runs from 2026-11-10 to 2026-11-22 (+08:00); order numbers follow the first
  submission. Rules that depend on "now" use `submitted_at`, so results do not drift with time.

Material images: `licence-0[1-3].jpg` (colour licence scans), `licence-grey.jpg` (greyscale scan
saved as RGB), `id-front-0[12].jpg` / `id-back-0[12].jpg`, `id-front-small.jpg` (480×302),
`photo-0[12].jpg` (near-white background), `photo-dark.jpg`, A4 pages `auth-letter.jpg`,
`commitment-letter.jpg`, `party-building.jpg`, `pre-approval.jpg`, `domain-cert.jpg`, app icons
`icon-01.png` / `icon-02.png` (a few KB) and `icon-big.png` (noise, over 100 KB). One order points
to a file that deliberately does not exist (`photo-0117-upload.jpg`).

## Orders

Expected findings are what the rule engine reports for the order when all files are checked
together (`block` unless marked warn).

| Order | Filing type | Province | Nature | Status | What is deliberately wrong | Expected findings |
|---|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n"


def write_all(b: Builder) -> dict[str, str]:
    ids = number(b)
    if ORDERS_DIR.exists():
        for f in ORDERS_DIR.glob("*.json"):
            f.unlink()
    ORDERS_DIR.mkdir(parents=True, exist_ok=True)
    for d in b.drafts:
        attach_digests(d.order)
        o = canonical(d.order)
        text = json.dumps(o, ensure_ascii=False, indent=2) + "\n"
        (ORDERS_DIR / f"{o['id']}.json").write_text(text, encoding="utf-8")
    (OUT / "README.md").write_text(readme(b, ids), encoding="utf-8")
    return ids


def verify(b: Builder, ids: dict[str, str], binary: Path) -> int:
    """Run the real rule engine over all orders together and compare with the intents."""
    import subprocess

    files = sorted(str(p) for p in ORDERS_DIR.glob("*.json"))
    r = subprocess.run([str(binary), "check", "--format", "json", *files], capture_output=True, text=True)
    if r.returncode == 2:
        print(r.stderr, file=sys.stderr)
        return 2
    actual = {}
    for line in r.stdout.splitlines():
        row = json.loads(line)
        actual[row["order"]] = row["findings"]
    bad = 0
    for d in sorted(b.drafts, key=lambda d: ids[d.key]):
        oid = ids[d.key]
        f = actual.get(oid, [])
        blocks = sorted({x["rule"] for x in f if x["severity"] == "block"})
        warns = sorted({x["rule"] for x in f if x["severity"] == "warn"})
        ok = blocks == sorted(set(d.intent.block)) and warns == sorted(set(d.intent.warn))
        bad += not ok
        mark = "ok " if ok else "BAD"
        print(f"{mark} {oid} {d.order['filing_type']:<15} {d.order['subject']['region']['province']} "
              f"{d.order['status']:<15} block={','.join(blocks) or '-'} warn={','.join(warns) or '-'}"
              + ("" if ok else f"   expected block={','.join(d.intent.block) or '-'} warn={','.join(d.intent.warn) or '-'}"))
        if not ok:
            for x in f:
                print(f"      {x['severity']:<5} {x['rule']:<34} {x['path']}  {x.get('message_en', '')}")
    print(f"{len(b.drafts)} orders, {bad} not as intended")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    g = Gen()
    write_materials()
    b = Builder(g)
    build_orders(b)
    ids = write_all(b)
    print(f"gen_demo: wrote {len(b.drafts)} orders and {len(list(MATERIALS_DIR.iterdir()))} materials to {OUT.relative_to(ROOT)}")
    if "--verify" in argv:
        i = argv.index("--verify")
        binary = Path(argv[i + 1]) if len(argv) > i + 1 else ROOT / "target" / "debug" / "icp-review"
        return verify(b, ids, binary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
