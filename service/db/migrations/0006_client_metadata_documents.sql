-- Clients identified by a Client ID Metadata Document (service/oauth/client-metadata-documents.ts) are
-- stored like registered ones, so codes and grants can reference them; this is when their document was
-- last fetched (NULL for clients registered through /oauth2/register).
ALTER TABLE oauth2_clients ADD COLUMN metadata_document_fetched_at timestamptz;
