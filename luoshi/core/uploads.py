"""Uploads past LUOSHI_MAX_UPLOAD_MB are not kept: their bytes are read from the request and dropped."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from luoshi.core.limits import MB, limits


class OversizedUpload(UploadedFile):
    """Stands for a file over the limit: it has its name and real size, not its bytes (read_upload refuses it)."""

    def __init__(self, name, size, content_type=None, charset=None):
        super().__init__(file=io.BytesIO(b""), name=name, content_type=content_type, size=size, charset=charset)


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: once a file passes the limit, the handlers after it (memory, temporary file)
    get no more of it, and the view gets an OversizedUpload of the real size instead of a partial file."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = limits().upload_mb * MB
        self.over = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.over = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.over:
            return OversizedUpload(self.file_name, file_size, self.content_type, self.charset)
        return None
