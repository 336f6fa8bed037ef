from ..models import RegistryRecord


class DatabaseRegistry:
    """Reads the registry's copy stored in the portal's database (RegistryRecord)."""

    def find(self, number):
        record = RegistryRecord.objects.filter(number=number).only("data").first()
        return record.data if record else None

    def email_on_file(self, number):
        return RegistryRecord.objects.filter(number=number).values_list("email", flat=True).first()

    def send_access_code(self, number, code):
        """Email the access code to the address on file (through the portal's outbox)."""
        from core.emails import queue_email

        email = self.email_on_file(number)
        if email:
            queue_email(email, "demandes/email/access_code", {"code": code, "number": number})
        return email
