"""Flask-Mailman backend for machines without SMTP: one readable .eml file per message."""
import os
import uuid

from flask_mailman.backends.base import BaseEmailBackend

from relogio import TZ, agora


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = os.path.abspath(file_path or self.mailman.file_path)

    def send_messages(self, email_messages):
        os.makedirs(self.file_path, exist_ok=True)
        for message in email_messages:
            name = f"{agora().astimezone(TZ):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            with open(os.path.join(self.file_path, name), "wb") as f:
                f.write(message.message().as_bytes())
        return len(email_messages)
