"""Photo uploads: only real images under a size limit, re-encoded as JPEG (every
metadata block dropped: EXIF with its GPS position, comments, profiles) with a random
name, plus a thumbnail.

Each file is decoded once (by the service that re-encodes it); the form only reads
headers. A request's files share a pixel budget, so that ten 40-megapixel photos cannot
hold the server's memory."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PIXELS_PER_UPLOAD = 100_000_000  # all the files of one request together
MAX_PER_UPLOAD = 10
MAX_PER_OFFER = 20
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = (1600, 1200)
THUMB_SIZE = (480, 360)


def inspect(uploaded):
    """Check an uploaded file from its headers (no pixel decoded); return its pixel
    count. Raises a French ValidationError when refused."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"La photo est trop lourde ({uploaded.size / 1024 / 1024:.1f} Mo) : 5 Mo au maximum."
        )
    try:
        uploaded.seek(0)
        probe = Image.open(uploaded)
        probe.verify()
        uploaded.seek(0)
        image = Image.open(uploaded)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError("Seules les photos JPEG, PNG ou WebP sont acceptées.")
        pixels = image.width * image.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _not_an_image() from exc
    if pixels > MAX_PIXELS:
        raise ValidationError("La photo est trop grande (40 mégapixels au maximum).")
    return pixels


def check_budget(pixel_counts):
    if sum(pixel_counts) > MAX_PIXELS_PER_UPLOAD:
        raise ValidationError(
            "Ces photos sont trop grandes ensemble (100 mégapixels au plus par envoi) : "
            "envoyez-les en plusieurs fois."
        )


def read_image(uploaded):
    """Check then decode an uploaded file (the one decoding of its pixels)."""
    inspect(uploaded)
    try:
        uploaded.seek(0)
        image = Image.open(uploaded)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _not_an_image() from exc
    return image


def _not_an_image():
    return ValidationError(
        "Ce fichier n'est pas une image valide : choisissez une photo JPEG, PNG ou WebP."
    )


def _jpeg(image, size):
    image = image.copy()
    image.thumbnail(size)
    buffer = BytesIO()
    # Only pixels are written: no EXIF, no comment, no ICC profile, no XMP.
    image.save(buffer, "JPEG", quality=82, optimize=True, exif=b"", comment=b"")
    return ContentFile(buffer.getvalue())


def encode(image):
    """The re-encoded photo and its thumbnail, as files ready to save."""
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.info = {}  # Pillow would write the original's comment back
    return _jpeg(upright, FULL_SIZE), _jpeg(upright, THUMB_SIZE)
