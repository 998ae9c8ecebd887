"""Camera-like test photos made with Pillow: 4000 x 3000 by default, with deterministic grain so they do not
compress to nothing, as JPEG with EXIF (a camera model and, optionally, an orientation)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def photo(seed: int, size: tuple[int, int] = (4000, 3000), quality: int = 90, orientation: int | None = None) -> bytes:
    width, height = size
    rng = random.Random(seed)
    # A sky-to-ground gradient, some shapes (people, a table, windows), then fine grain like a sensor's.
    base = Image.linear_gradient("L").resize((width, height))
    tint = (rng.randrange(90, 200), rng.randrange(90, 200), rng.randrange(90, 200))
    image = Image.merge("RGB", [base.point(lambda v, t=t: (v * t) // 255 + 30) for t in tint])
    draw = ImageDraw.Draw(image)
    for number in range(1500):  # big shapes first, then ever smaller detail, as in a crowded meeting room
        x, y = rng.randrange(width), rng.randrange(height)
        scale = 4 + number // 25
        w, h = rng.randrange(width // (8 * scale), width // scale), rng.randrange(height // (8 * scale), height // scale)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=1.5))
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height)).filter(ImageFilter.GaussianBlur(0.6))
    image = Image.blend(image, Image.merge("RGB", [grain] * 3), 0.10)
    exif = Image.Exif()
    exif[0x0110] = "Test Camera X100"  # Model
    exif[0x0132] = "2024:05:20 15:30:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def tiny(kind: str = "JPEG", size: tuple[int, int] = (8, 6)) -> bytes:
    """A small but real picture file (JPEG, PNG, ...), for sites whose tests are about something else."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, kind)
    return buffer.getvalue()
