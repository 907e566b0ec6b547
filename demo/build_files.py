"""Rebuild the committed demo files in demo/files/.

    .venv/bin/python -m demo.build_files

Needs ffmpeg (libx264, libmp3lame) and the Noto Serif/Sans fonts; seeding
does not, which is why the output is committed. Everything here is drawn or
synthesised, so the files carry no third-party rights.
"""

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from . import artwork
from .media import AUDIO, VIDEO
from .units import UNITS

FILES_DIR = Path(__file__).resolve().parent / "files"
FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto")]
FPS = 25
VIDEO_TITLE = "TÒA SOẠN HỘI TỤ"
VIDEO_BUG = "Video minh họa – Hội Tụ"


def _font(name, size):
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return ImageFont.truetype(str(directory / name), size)
    raise SystemExit(f"Font {name} not found; install fonts-noto-core.")


def build_logo(unit):
    """A wordmark: the unit's initials in a roundel, then its name. Transparent
    pixels are white underneath, so a JPEG rendition comes out on white."""
    name_font = _font("NotoSerif-Bold.ttf", 92)
    name = unit.name.upper()
    height = 300
    width = 300 + int(name_font.getlength(name)) + 20
    logo = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(logo)
    colour = artwork._rgb(unit.logo_colour)
    draw.ellipse([20, 30, 260, 270], fill=colour + (255,))
    initials = _font("NotoSerif-Bold.ttf", 96)
    draw.text((140, 150), unit.logo_initials, font=initials, fill=(255, 255, 255, 255), anchor="mm")
    draw.text((300, 150), name, font=name_font, fill=colour + (255,), anchor="lm")
    logo.save(FILES_DIR / unit.logo_file, "PNG", optimize=True)


def build_video():
    """The key art, slowly zoomed, with a lower third: 5 s of H.264 that any
    browser plays."""
    art = artwork.draw(VIDEO.poster_theme, VIDEO.poster_key)
    title_font, small_font = _font("NotoSans-Bold.ttf", 30), _font("NotoSans-Regular.ttf", 20)
    width, height = VIDEO.width, VIDEO.height
    frames = int(VIDEO.duration * FPS)
    command = [
        "ffmpeg", "-y", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(FPS), "-i", "-",
        "-c:v", "libx264", "-preset", "veryslow", "-crf", "26", "-pix_fmt", "yuv420p", "-profile:v", "main",
        "-movflags", "+faststart", "-an", str(FILES_DIR / VIDEO.file),
    ]
    with subprocess.Popen(command, stdin=subprocess.PIPE) as ffmpeg:
        for n in range(frames):
            t = n / (frames - 1)
            zoom = 1 - 0.18 * t
            crop_w, crop_h = art.width * zoom, art.height * zoom
            left, top = (art.width - crop_w) * (0.2 + 0.6 * t), (art.height - crop_h) * 0.5
            frame = art.crop((int(left), int(top), int(left + crop_w), int(top + crop_h))).resize((width, height), Image.BILINEAR)
            draw = ImageDraw.Draw(frame, "RGBA")
            slide = int(min(1, t * 4) * 380) - 380
            draw.rectangle([slide, height - 92, slide + 420, height - 28], fill=(179, 38, 30, 230))
            draw.text((slide + 18, height - 80), VIDEO_TITLE, font=title_font, fill="white")
            draw.text((18, 14), VIDEO_BUG, font=small_font, fill=(255, 255, 255, 220))
            ffmpeg.stdin.write(frame.tobytes())
        ffmpeg.stdin.close()
    if ffmpeg.returncode:
        raise SystemExit("ffmpeg failed to encode the video")


def build_audio():
    """A calm news-bed: two chords of soft sines with a slow swell over
    a little pink noise, faded in and out. Mono MP3 for every browser."""
    chord_a = "0.10*sin(2*PI*220*t)+0.08*sin(2*PI*277.18*t)+0.07*sin(2*PI*329.63*t)"
    chord_b = "0.10*sin(2*PI*185*t)+0.08*sin(2*PI*220*t)+0.07*sin(2*PI*277.18*t)"
    swell = "(0.65+0.35*sin(2*PI*0.25*t))"
    pulse = "0.03*sin(2*PI*440*t)*(0.5+0.5*sin(2*PI*2*t))"
    expression = f"(if(lt(mod(t\\,10)\\,5)\\,{chord_a}\\,{chord_b}))*{swell}+{pulse}"
    duration = AUDIO.duration
    command = [
        "ffmpeg", "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", f"aevalsrc={expression}:s=44100:d={duration}",
        "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.015:d={duration}:r=44100:seed=2866",
        "-filter_complex", f"[0][1]amix=inputs=2:normalize=0,volume=6dB,afade=t=in:d=2,afade=t=out:st={duration - 3}:d=3[a]",
        "-map", "[a]", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k", str(FILES_DIR / AUDIO.file),
    ]
    subprocess.run(command, check=True)


def main():
    FILES_DIR.mkdir(exist_ok=True)
    for unit in UNITS:
        build_logo(unit)
    build_video()
    build_audio()
    for path in sorted(FILES_DIR.iterdir()):
        print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
