-- A client database as schema version 1 wrote it (the first release), with a few records,
-- an unsent edit and its base copy. test-migrate opens it with the current code.
-- Never change this file: it is what clerks' machines hold.
PRAGMA journal_mode = WAL;
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT) WITHOUT ROWID;
CREATE TABLE records (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  collection TEXT NOT NULL,
  rev INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  sort_date TEXT NOT NULL DEFAULT '',
  local INTEGER NOT NULL DEFAULT 0,
  sample INTEGER NOT NULL DEFAULT 0);
CREATE INDEX records_by_date ON records (collection, deleted, sort_date);
CREATE TABLE record_data (n INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  mutation_id TEXT NOT NULL UNIQUE,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  base_rev INTEGER NOT NULL DEFAULT 0,
  op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
  data TEXT,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
  reason TEXT);
CREATE INDEX outbox_by_id ON outbox (id);
CREATE TABLE base (
  id TEXT PRIMARY KEY NOT NULL,
  collection TEXT NOT NULL,
  rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL) WITHOUT ROWID;

INSERT INTO meta VALUES ('client_id', '7d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f');
INSERT INTO meta VALUES ('server_url', 'https://ntm.hatinh.example/');
INSERT INTO meta VALUES ('user', 'hoa');
INSERT INTO meta VALUES ('cursor', '120');

-- A synced article.
INSERT INTO records VALUES (1, '0b5f3c1e-6d2a-4f7b-9c1d-2e3f4a5b6c7d', 'article', 4, 0,
  '2015-07-01T16:20:00Z', 'editor', 'Cầu nối giữa cấp ủy huyện và cơ sở',
  '2015-07-01T16:20:00Z', 0, 0);
INSERT INTO record_data VALUES (1, '{"title":"Cầu nối giữa cấp ủy huyện và cơ sở","author":"Mạnh Hà","body_html":"<p>Chương trình xây dựng <b>nông thôn mới</b> tại địa phương.</p>","published_at":"2015-07-01T16:20:00Z","category":"Xây dựng NTM"}');

-- A synced document.
INSERT INTO records VALUES (2, '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'document', 2, 0,
  '2019-11-20T02:00:00Z', 'editor', '4414/UBND-NL5 — Về việc OCOP', '2019-11-19', 0, 0);
INSERT INTO record_data VALUES (2, '{"number":"4414/UBND-NL5","title":"Về việc OCOP","field":"OCOP","signed_on":"2019-11-19"}');

-- A task edited offline: its unsent edit and the server version it started from.
INSERT INTO records VALUES (3, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 'task', 7, 0,
  '2015-06-07T01:00:00Z', 'hoa', 'Hoàn thành đường giao thông', '2015-12-31', 1, 0);
INSERT INTO record_data VALUES (3, '{"title":"Hoàn thành đường giao thông","status":"in_progress","due_on":"2015-12-31"}');
INSERT INTO outbox (mutation_id, collection, id, base_rev, op, data, created_at) VALUES
  ('5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', 'task', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 7,
   'put', '{"title":"Hoàn thành đường giao thông","status":"in_progress","due_on":"2015-12-31"}',
   '2015-06-07T01:00:00Z');
INSERT INTO base VALUES ('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 'task', 7, 0,
  '2015-06-06T09:00:00Z', 'editor', '{"title":"Hoàn thành đường giao thông","status":"open","due_on":"2015-12-31"}');

PRAGMA user_version = 1;
