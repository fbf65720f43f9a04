-- The files attached to an event, as a JSON array of {id, fileName, type, size, readToken, integrity}; the bytes are
-- files of the attachments directory (see AttachmentFiles), removed with the event.
ALTER TABLE events ADD COLUMN attachments TEXT;
