/// Grid rosters, departments and their staff.
let m0002StaffAndDepartments = Migration(2, "staff_and_departments") { engine in
    [
        """
        CREATE TABLE staff (
            \(engine.idColumn),
            grid_code TEXT NOT NULL REFERENCES grids(code),
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            phone TEXT,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX staff_grid ON staff (grid_code)",
        """
        CREATE TABLE departments (
            \(engine.idColumn),
            dept_key TEXT NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            serves_code TEXT NOT NULL REFERENCES grids(code),
            created_at BIGINT NOT NULL,
            UNIQUE (serves_code, dept_key)
        )
        """,
        """
        CREATE TABLE department_staff (
            \(engine.idColumn),
            department_id BIGINT NOT NULL REFERENCES departments(id),
            name TEXT NOT NULL,
            post TEXT,
            phone TEXT,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX department_staff_department ON department_staff (department_id)",
    ]
}
