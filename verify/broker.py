"""The embedded broker: kombu's filesystem transport, with messages written atomically.

kombu's filesystem transport creates a message file and then writes into it, while consumers
move and read files without taking the lock (kombu issue #1551): a worker can pick up a file
that is still empty, fail to decode it and lose the message. Here a message is written under a
name consumers ignore and renamed into place once complete (``os.replace`` is atomic within a
folder), so a consumer only ever sees whole messages.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` on ``queue``: write a temporary file, then rename it into the queue."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        # No dot in the temporary name: consumers only take files named "<id>.<queue>.msg".
        partial = os.path.join(self.data_folder_out, f"writing-{uuid.uuid4().hex}")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add message {name!r} to {self.data_folder_out!r}") from exc


class Transport(filesystem.Transport):
    Channel = Channel
