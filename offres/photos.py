"""Photo uploads: only real images under a size limit, re-encoded as JPEG (metadata
dropped) with a random name, plus a thumbnail."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PER_UPLOAD = 10
MAX_PER_OFFER = 20
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = (1600, 1200)
THUMB_SIZE = (480, 360)


def read_image(uploaded):
    """Open and check an uploaded file; raise a French ValidationError when refused."""
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
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError("La photo est trop grande (40 mégapixels au maximum).")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "Ce fichier n'est pas une image valide : choisissez une photo JPEG, PNG ou WebP."
        ) from exc
    return image


def _jpeg(image, size):
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail(size)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue())


def encode(image):
    """The re-encoded photo and its thumbnail, as files ready to save."""
    return _jpeg(image, FULL_SIZE), _jpeg(image, THUMB_SIZE)
