"""Uploaded photos: nothing of the original file but its pixels is kept (no EXIF with
its GPS position, no JPEG comment), a request's files share a pixel budget (read
from headers, before anything is decoded), and each file is decoded once."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.offres.factories import LandlordMembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db
SECRET = b"Chez M. Martin, code porte 4512"


@pytest.fixture
def offer(client):
    membership = LandlordMembershipFactory()
    client.force_login(membership.user)
    return OfferFactory(landlord=membership.landlord)


def jpeg_with_metadata(name="facade.jpg"):
    exif = Image.Exif()
    exif[0x010F] = "Appareil de M. Martin"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 30.0)}  # GPSInfo: a latitude
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (120, 160, 200)).save(
        buffer, "JPEG", exif=exif.tobytes(), comment=SECRET
    )
    data = buffer.getvalue()
    assert SECRET in data and b"Exif" in data
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_every_metadata_block_is_dropped(client, offer):
    client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": jpeg_with_metadata()})
    photo = offer.photos.get()
    for field in (photo.image, photo.thumbnail):
        data = Path(field.path).read_bytes()
        assert SECRET not in data
        assert b"Exif" not in data and b"Martin" not in data
        with Image.open(field.path) as stored:
            assert "comment" not in stored.info and "exif" not in stored.info


def big_grey_jpeg(name):
    buffer = BytesIO()
    Image.new("L", (6000, 6000), 128).save(buffer, "JPEG", quality=30)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_files_of_one_request_share_a_pixel_budget(client, offer):
    files = [big_grey_jpeg(f"{n}.jpg") for n in range(3)]  # 3 × 36 Mpx
    page = client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": files})
    assert "trop grandes ensemble (100 mégapixels au plus par envoi)" in page.content.decode()
    assert not offer.photos.exists()


@pytest.fixture
def decodings(monkeypatch):
    """Every decoding of pixels by Pillow (a spy on Pillow, not on the project): the
    size and format of each image whose pixels are read. Headers alone decode nothing."""
    from PIL import ImageFile

    seen = []
    load = ImageFile.ImageFile.load

    def spy(image):
        if image.tile:  # pixels still to be read: this call decodes them
            seen.append((image.format, image.size))
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return seen


def png(name, size):
    buffer = BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_each_uploaded_photo_is_decoded_once(client, offer, decodings):
    files = [jpeg_with_metadata("facade.jpg"), png("salon.png", (640, 480))]
    response = client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": files})
    assert response.status_code == 302
    assert offer.photos.count() == 2
    assert sorted(decodings) == [("JPEG", (800, 600)), ("PNG", (640, 480))]


def test_a_refused_upload_decodes_nothing(client, offer, decodings):
    files = [big_grey_jpeg(f"{n}.jpg") for n in range(3)]  # over the request's budget
    client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": files})
    assert not offer.photos.exists()
    assert decodings == []
