"""Uploads measured while they stream.

The first handler counts each file's bytes; past QMS_UPLOAD_MAX_BYTES it stops passing
chunks on (nothing more is kept in memory or on disk) and hands the form an empty
stand-in that states the counted size, so that the size check (qms.files.
validate_upload_size) refuses it with the usual message.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class RefusedUpload(UploadedFile):
    """A file dropped for its size: no content, the size counted so far."""

    def __init__(self, name, content_type, size, charset):
        import io

        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.QMS_UPLOAD_MAX_BYTES:
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size):
        if not self.over:
            return None  # the next handler (memory or temporary file) has it all
        return RefusedUpload(self.file_name, self.content_type, self.received, self.charset)
