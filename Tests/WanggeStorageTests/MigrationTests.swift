import Testing
import WanggeStorage
import WanggeTestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test("all migrations apply once, in order, and again is a no-op", arguments: TestEngines.all)
    func idempotent(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let migrator = Migrator()
            #expect(try await migrator.applied(db) == Migrations.all.map(\.id))
            let again = try await migrator.migrate(db)
            #expect(again.isEmpty)
            #expect(Migrations.all.map(\.id) == Array(1...Migrations.all.count))
        }
    }

    @Test("DATABASE_URL forms", arguments: [
        (nil, "sqlite:///srv/data/wangge.sqlite"),
        ("sqlite:///tmp/x.sqlite", "sqlite:///tmp/x.sqlite"),
        ("postgres://app:secret@127.0.0.1:5433/app", "postgres://app:***@127.0.0.1:5433/app"),
        ("postgresql://app@db/app", "postgresql://app@db/app"),
    ] as [(String?, String)])
    func parseURL(url: String?, shown: String) throws {
        #expect(try DatabaseConfiguration.parse(url, workingDirectory: "/srv").description == shown)
    }

    @Test("bad DATABASE_URL is refused with a reason")
    func badURL() {
        #expect(throws: ConfigurationError.self) { try DatabaseConfiguration.parse("mysql://x", workingDirectory: "/") }
        #expect(throws: ConfigurationError.self) { try DatabaseConfiguration.parse("sqlite://relative.db", workingDirectory: "/") }
    }
}
