/// The territory tree with boundaries (GeoJSON text plus a bounding box) and the size norms.
let m0001Grids = Migration(1, "grids") { _ in
    [
        """
        CREATE TABLE grids (
            code TEXT PRIMARY KEY,
            parent_code TEXT REFERENCES grids(code),
            level TEXT NOT NULL,
            depth BIGINT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            special_kind TEXT,
            households BIGINT NOT NULL DEFAULT 0,
            population BIGINT NOT NULL DEFAULT 0,
            boundary TEXT,
            min_lon DOUBLE PRECISION,
            min_lat DOUBLE PRECISION,
            max_lon DOUBLE PRECISION,
            max_lat DOUBLE PRECISION,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX grids_parent ON grids (parent_code, code)",
        // One row, bumped by every change to the tree, so a server notices imports done by the CLI.
        "CREATE TABLE grid_tree_version (version BIGINT NOT NULL)",
        "INSERT INTO grid_tree_version (version) VALUES (0)",
        """
        CREATE TABLE size_norms (
            county_code TEXT PRIMARY KEY,
            urban_households BIGINT NOT NULL,
            urban_population BIGINT NOT NULL,
            rural_households BIGINT NOT NULL,
            rural_population BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
    ]
}
