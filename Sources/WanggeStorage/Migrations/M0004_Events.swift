/// The event loop: catalog, calendar overrides, events with their timeline and dashboard counters, supervision cards
/// (one row per event, kind and colour, so a card is never issued twice), attachments, and the
/// per-county-per-day serial counters.
let m0004Events = Migration(4, "events") { engine in
    [
        "CREATE TABLE catalog_categories (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
        """
        CREATE TABLE catalog_items (
            code TEXT PRIMARY KEY,
            category_code TEXT NOT NULL REFERENCES catalog_categories(code),
            name TEXT NOT NULL,
            departments TEXT NOT NULL,
            level TEXT NOT NULL,
            deadline TEXT NOT NULL,
            priority TEXT NOT NULL,
            citizen_reportable BIGINT NOT NULL,
            description TEXT,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE TABLE calendar_days (day TEXT PRIMARY KEY, kind TEXT NOT NULL)",
        "CREATE TABLE event_serials (county TEXT NOT NULL, day TEXT NOT NULL, last BIGINT NOT NULL, PRIMARY KEY (county, day))",
        """
        CREATE TABLE events (
            \(engine.idColumn),
            serial TEXT NOT NULL UNIQUE,
            tracking_number TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            item_code TEXT NOT NULL REFERENCES catalog_items(code),
            category_code TEXT NOT NULL,
            description TEXT NOT NULL,
            lon DOUBLE PRECISION,
            lat DOUBLE PRECISION,
            grid_code TEXT NOT NULL REFERENCES grids(code),
            address TEXT,
            reporter_account_id BIGINT REFERENCES accounts(id),
            reporter_name TEXT,
            reporter_phone TEXT,
            parties TEXT,
            amount DOUBLE PRECISION,
            urgent BIGINT NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            holder TEXT NOT NULL,
            dispatcher TEXT,
            deadline BIGINT,
            requested_deadline BIGINT,
            resolved_level TEXT,
            satisfaction BIGINT,
            merged_into BIGINT REFERENCES events(id),
            reported_at BIGINT NOT NULL,
            accepted_at BIGINT,
            dispatched_at BIGINT,
            signed_at BIGINT,
            handled_at BIGINT,
            closed_at BIGINT,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX events_grid ON events (grid_code, reported_at)",
        "CREATE INDEX events_holder ON events (holder, status)",
        // Covers queue counts and the overdue count (status, subtree, deadline) without touching the rows.
        "CREATE INDEX events_status ON events (status, grid_code, deadline)",
        "CREATE INDEX events_item_open ON events (item_code, status, reported_at)",
        "CREATE INDEX events_reported ON events (reported_at)",
        // Dashboard counters: every event counted once at each of its ancestors (and its grid), per
        // month and per dimension (status, category, source, level of resolution), so that the
        // figures of any subtree are a sum over a few dozen rows, not a scan of all events.
        """
        CREATE TABLE event_stats (
            node TEXT NOT NULL,
            month TEXT NOT NULL,
            dim TEXT NOT NULL,
            value TEXT NOT NULL,
            n BIGINT NOT NULL,
            on_time BIGINT NOT NULL,
            rated BIGINT NOT NULL,
            satisfied BIGINT NOT NULL,
            PRIMARY KEY (node, month, dim, value)
        )
        """,
        """
        CREATE TABLE event_steps (
            \(engine.idColumn),
            event_id BIGINT NOT NULL REFERENCES events(id),
            at BIGINT NOT NULL,
            actor_id BIGINT,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            from_unit TEXT,
            to_unit TEXT,
            note TEXT,
            attachments TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX event_steps_event ON event_steps (event_id, id)",
        """
        CREATE TABLE event_cards (
            event_id BIGINT NOT NULL REFERENCES events(id),
            kind TEXT NOT NULL,
            color TEXT NOT NULL,
            issued_at BIGINT NOT NULL,
            PRIMARY KEY (event_id, kind, color)
        )
        """,
        """
        CREATE TABLE event_attachments (
            \(engine.idColumn),
            event_id BIGINT NOT NULL REFERENCES events(id),
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size BIGINT NOT NULL,
            path TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX event_attachments_event ON event_attachments (event_id)",
    ]
}
