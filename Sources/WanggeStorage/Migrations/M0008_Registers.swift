/// The base-data registers (人、地、物、组织) and import jobs.
///
/// Certificate and phone numbers are stored sealed (`*_cipher`) beside a keyed lookup hash
/// (`*_hash`); nothing in a dump reveals them. Every register row carries the grid code it
/// belongs to, so that territory is a range condition on an index and never a join. Names sort
/// by code point on both engines (`COLLATE "C"` on PostgreSQL) so that a prefix search is an
/// index range whatever the server's locale.
let m0008Registers = Migration(8, "registers") { engine in
    let bytewise = engine == .postgres ? " COLLATE \"C\"" : ""
    return [
        """
        CREATE TABLE buildings (
            \(engine.idColumn),
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            address TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            use_code TEXT NOT NULL,
            floors BIGINT,
            units BIGINT,
            lon DOUBLE PRECISION,
            lat DOUBLE PRECISION,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX buildings_grid ON buildings (grid_code)",
        """
        CREATE TABLE houses (
            \(engine.idColumn),
            code TEXT NOT NULL UNIQUE,
            building_id BIGINT NOT NULL REFERENCES buildings(id),
            grid_code TEXT NOT NULL,
            unit TEXT NOT NULL,
            floor BIGINT,
            room TEXT NOT NULL,
            address TEXT NOT NULL,
            use_code TEXT NOT NULL,
            rental_use TEXT,
            area DOUBLE PRECISION,
            updated_at BIGINT NOT NULL,
            UNIQUE (building_id, unit, room)
        )
        """,
        "CREATE INDEX houses_grid ON houses (grid_code, rental_use)",
        """
        CREATE TABLE persons (
            \(engine.idColumn),
            name TEXT\(bytewise) NOT NULL,
            cert_type TEXT NOT NULL,
            cert_cipher TEXT NOT NULL,
            cert_hash TEXT NOT NULL UNIQUE,
            sex TEXT NOT NULL,
            birth_date TEXT,
            ethnicity TEXT,
            phone_cipher TEXT,
            phone_hash TEXT,
            registered_division TEXT,
            registered_address TEXT,
            current_address TEXT,
            grid_code TEXT NOT NULL,
            kind TEXT NOT NULL,
            inflow_reason TEXT,
            permit_type TEXT,
            permit_number TEXT,
            permit_expiry TEXT,
            nationality TEXT,
            foreign_name TEXT,
            visit_purpose TEXT,
            fingerprint TEXT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX persons_grid_kind ON persons (grid_code, kind)",
        "CREATE INDEX persons_name ON persons (name)",
        "CREATE INDEX persons_phone ON persons (phone_hash)",
        """
        CREATE TABLE residences (
            \(engine.idColumn),
            person_id BIGINT NOT NULL REFERENCES persons(id),
            house_id BIGINT NOT NULL REFERENCES houses(id),
            role TEXT NOT NULL,
            moved_in TEXT,
            moved_out TEXT
        )
        """,
        "CREATE INDEX residences_house ON residences (house_id)",
        "CREATE INDEX residences_person ON residences (person_id)",
        // One current tie per person and house; history rows have moved_out set.
        "CREATE UNIQUE INDEX residences_current ON residences (person_id, house_id) WHERE moved_out IS NULL",
        """
        CREATE TABLE households (
            \(engine.idColumn),
            number TEXT NOT NULL UNIQUE,
            house_id BIGINT REFERENCES houses(id),
            grid_code TEXT NOT NULL,
            head_person_id BIGINT NOT NULL REFERENCES persons(id)
        )
        """,
        "CREATE INDEX households_house ON households (house_id)",
        """
        CREATE TABLE household_members (
            household_id BIGINT NOT NULL REFERENCES households(id),
            person_id BIGINT NOT NULL REFERENCES persons(id),
            relation TEXT NOT NULL,
            PRIMARY KEY (household_id, person_id)
        )
        """,
        "CREATE INDEX household_members_person ON household_members (person_id)",
        """
        CREATE TABLE population_roles (
            \(engine.idColumn),
            person_id BIGINT NOT NULL REFERENCES persons(id),
            kind TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            attention TEXT NOT NULL,
            visit_every_days BIGINT NOT NULL,
            fields TEXT NOT NULL,
            since TEXT,
            until TEXT,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX population_roles_grid ON population_roles (grid_code, kind)",
        "CREATE INDEX population_roles_person ON population_roles (person_id)",
        // A person holds each kind once at a time; ended roles are history.
        "CREATE UNIQUE INDEX population_roles_active ON population_roles (person_id, kind) WHERE until IS NULL",
        """
        CREATE TABLE organisations (
            \(engine.idColumn),
            kind TEXT NOT NULL,
            name TEXT\(bytewise) NOT NULL,
            credit_code TEXT NOT NULL UNIQUE,
            enterprise_category TEXT,
            registration_type TEXT,
            holding TEXT,
            social_type TEXT,
            legal_representative TEXT NOT NULL,
            phone TEXT,
            address TEXT NOT NULL,
            grid_code TEXT NOT NULL,
            employees BIGINT,
            lon DOUBLE PRECISION,
            lat DOUBLE PRECISION,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX organisations_grid ON organisations (grid_code, kind)",
        "CREATE INDEX organisations_name ON organisations (name)",
        """
        CREATE TABLE components (
            \(engine.idColumn),
            code TEXT NOT NULL UNIQUE,
            grid_code TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT,
            lon DOUBLE PRECISION NOT NULL,
            lat DOUBLE PRECISION NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX components_grid ON components (grid_code, state)",
        """
        CREATE TABLE import_jobs (
            \(engine.idColumn),
            sheet TEXT NOT NULL,
            filename TEXT NOT NULL,
            all_or_nothing BIGINT NOT NULL,
            status TEXT NOT NULL,
            account_id BIGINT,
            scope_code TEXT,
            total BIGINT NOT NULL,
            processed BIGINT NOT NULL,
            created BIGINT NOT NULL,
            updated BIGINT NOT NULL,
            unchanged BIGINT NOT NULL,
            rejected BIGINT NOT NULL,
            message TEXT,
            started_at BIGINT NOT NULL,
            finished_at BIGINT
        )
        """,
        "CREATE INDEX import_jobs_scope ON import_jobs (scope_code, id)",
        """
        CREATE TABLE import_errors (
            job_id BIGINT NOT NULL REFERENCES import_jobs(id),
            row_number BIGINT NOT NULL,
            column_name TEXT,
            message TEXT NOT NULL
        )
        """,
        "CREATE INDEX import_errors_job ON import_errors (job_id, row_number)",
    ]
}
