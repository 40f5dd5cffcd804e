import Foundation
import SQLKit
import WanggeCore

/// What an upsert did to one record.
public enum UpsertOutcome: String, Sendable, Codable {
    case created
    case updated
    case unchanged
}

/// A query over people: a subtree, optionally narrowed.
public struct PersonQuery: Sendable {
    public var range: CodeRange?
    public var namePrefix: String?
    /// Exact, normalised phone number.
    public var phone: String?
    /// Exact, normalised certificate number.
    public var certificateNumber: String?
    public var kind: PersonKind?
    public var offset: Int
    public var limit: Int

    public init(range: CodeRange?, namePrefix: String? = nil, phone: String? = nil, certificateNumber: String? = nil,
                kind: PersonKind? = nil, offset: Int = 0, limit: Int = 50) {
        self.range = range
        self.namePrefix = namePrefix
        self.phone = phone
        self.certificateNumber = certificateNumber
        self.kind = kind
        self.offset = offset
        self.limit = limit
    }
}

/// 实有人口. Certificate numbers and phones are sealed on the way in and opened on the way out;
/// callers see plaintext domain values and mask them at the edge.
public protocol PersonRepository: Sendable {
    /// Inserts new people and updates changed ones, matched by certificate number. Returns each
    /// person's id and what happened, in input order.
    func upsert(_ people: [Person], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    /// Hashes, fingerprints and seals a person for ``upsert(prepared:now:assumingNew:in:)``: pure work, which may run anywhere ahead of it.
    func prepare(_ person: Person) -> PreparedPerson
    /// ``upsert(_:now:in:)`` of people prepared beforehand.
    ///
    /// - Parameter assumingNew: the caller knows that none of them is stored (the table was empty
    ///   when it looked, and it never sends a certificate number twice), so nothing is looked up
    ///   first and every one is created. If one is stored after all, the insert fails on the
    ///   unique key, and the caller's transaction with it: the caller then tries again without.
    func upsert(prepared: [PreparedPerson], now: Int64, assumingNew: Bool, in tx: any SQLDatabase) async throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    /// Whether no person is stored.
    func isEmpty(in db: any SQLDatabase) async throws -> Bool
    func find(id: Int64) async throws -> Person?
    func find(certificateNumber: String) async throws -> Person?
    /// Ids of the people with these certificate numbers (those that exist).
    func ids(certificateNumbers: [String], in db: any SQLDatabase) async throws -> [String: Int64]
    func search(_ query: PersonQuery) async throws -> (people: [Person], total: Int)
    /// People by id, in no particular order.
    func people(ids: [Int64]) async throws -> [Person]
}

public struct SQLPersonRepository: PersonRepository {
    let db: WanggeDatabase
    let cipher: PersonalDataCipher

    public init(_ db: WanggeDatabase, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    /// The values a change is judged by; the lookup hash covers the certificate.
    func fingerprint(_ p: Person) -> String {
        cipher.fingerprint([p.name, p.certificateType.rawValue, p.certificateNumber, p.sex.rawValue, p.birthDate?.description,
                            p.ethnicity, p.phone, p.registeredDivision, p.registeredAddress, p.currentAddress, p.grid.value,
                            p.kind.rawValue, p.inflowReason, p.permitType, p.permitNumber, p.permitExpiry?.description,
                            p.nationality, p.foreignName, p.visitPurpose])
    }

    public func upsert(_ people: [Person], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try await upsert(prepared: people.map(prepare), now: now, assumingNew: false, in: tx)
    }

    /// Through SQLKit alone, for a database that is not a transaction's.
    func upsertPortable(_ people: [Person], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        var results: [(id: Int64, outcome: UpsertOutcome)] = []
        results.reserveCapacity(people.count)
        // 24 columns a row: 400 rows stay under SQLite's and PostgreSQL's bind limits.
        try await tx.insertBatches(people, size: 400) { batch in
            let hashes = batch.map { cipher.lookupHash($0.certificateNumber) }
            let prints = batch.map(fingerprint)
            let existing = try await tx.raw("""
                SELECT id, cert_hash, fingerprint FROM persons WHERE cert_hash IN (\(SQLList(hashes.map { SQLBind($0) })))
                """).all().reduce(into: [String: (Int64, String)]()) { map, row in
                    map[try row.string("cert_hash")] = (try row.int64("id"), try row.string("fingerprint"))
                }
            var fresh: [Int] = []
            var outcome = [Int: (Int64, UpsertOutcome)]()
            for (i, p) in batch.enumerated() {
                if let (id, print) = existing[hashes[i]] {
                    if print == prints[i] {
                        outcome[i] = (id, .unchanged)
                    } else {
                        try await tx.raw("""
                            UPDATE persons SET \(assignments(p, print: prints[i], now: now)) WHERE id = \(bind: id)
                            """).run()
                        outcome[i] = (id, .updated)
                    }
                } else {
                    fresh.append(i)
                }
            }
            if !fresh.isEmpty {
                let rows: [SQLQueryString] = fresh.map { values(batch[$0], hash: hashes[$0], print: prints[$0], now: now) }
                let inserted = try await tx.raw("""
                    INSERT INTO persons (\(unsafeRaw: Self.columns)) VALUES \(rows.joined(separator: ", ")) RETURNING id, cert_hash
                    """).all().reduce(into: [String: Int64]()) { $0[try $1.string("cert_hash")] = try $1.int64("id") }
                for i in fresh {
                    guard let id = inserted[hashes[i]] else { throw StoredDataError("插入人员后未取得编号") }
                    outcome[i] = (id, .created)
                }
            }
            for i in batch.indices { results.append(outcome[i]!) }
        }
        return results
    }

    static let columns = """
        name, cert_type, cert_cipher, cert_hash, sex, birth_date, ethnicity, phone_cipher, phone_hash, registered_division,
        registered_address, current_address, grid_code, kind, inflow_reason, permit_type, permit_number, permit_expiry,
        nationality, foreign_name, visit_purpose, fingerprint, updated_at
        """

    func values(_ p: Person, hash: String, print: String, now: Int64) -> SQLQueryString {
        """
        (\(bind: p.name), \(bind: p.certificateType.rawValue), \(bind: cipher.seal(p.certificateNumber)), \(bind: hash),
         \(bind: p.sex.rawValue), \(bind: p.birthDate?.description), \(bind: p.ethnicity), \(bind: p.phone.map(cipher.seal)),
         \(bind: p.phone.map(cipher.lookupHash)), \(bind: p.registeredDivision), \(bind: p.registeredAddress),
         \(bind: p.currentAddress), \(bind: p.grid.value), \(bind: p.kind.rawValue), \(bind: p.inflowReason),
         \(bind: p.permitType), \(bind: p.permitNumber), \(bind: p.permitExpiry?.description), \(bind: p.nationality),
         \(bind: p.foreignName), \(bind: p.visitPurpose), \(bind: print), \(bind: now))
        """
    }

    func assignments(_ p: Person, print: String, now: Int64) -> SQLQueryString {
        """
        name = \(bind: p.name), cert_type = \(bind: p.certificateType.rawValue), sex = \(bind: p.sex.rawValue),
        birth_date = \(bind: p.birthDate?.description), ethnicity = \(bind: p.ethnicity),
        phone_cipher = \(bind: p.phone.map(cipher.seal)), phone_hash = \(bind: p.phone.map(cipher.lookupHash)),
        registered_division = \(bind: p.registeredDivision), registered_address = \(bind: p.registeredAddress),
        current_address = \(bind: p.currentAddress), grid_code = \(bind: p.grid.value), kind = \(bind: p.kind.rawValue),
        inflow_reason = \(bind: p.inflowReason), permit_type = \(bind: p.permitType), permit_number = \(bind: p.permitNumber),
        permit_expiry = \(bind: p.permitExpiry?.description), nationality = \(bind: p.nationality),
        foreign_name = \(bind: p.foreignName), visit_purpose = \(bind: p.visitPurpose), fingerprint = \(bind: print),
        updated_at = \(bind: now)
        """
    }

    func person(_ row: any SQLRow) throws -> Person {
        func day(_ column: String) throws -> Day? {
            guard let text = try row.optionalString(column) else { return nil }
            do { return try Day(text) } catch { throw StoredDataError("\(column) 中的日期无效：\(text)") }
        }
        return Person(
            id: try row.int64("id"), name: try row.string("name"),
            certificateType: try row.enumValue("cert_type", as: CertificateType.self),
            certificateNumber: try cipher.open(try row.string("cert_cipher")), sex: try row.enumValue("sex", as: Sex.self),
            birthDate: try day("birth_date"), ethnicity: try row.optionalString("ethnicity"),
            phone: try row.optionalString("phone_cipher").map(cipher.open),
            registeredDivision: try row.optionalString("registered_division"),
            registeredAddress: try row.optionalString("registered_address"),
            currentAddress: try row.optionalString("current_address"), grid: try row.gridCode("grid_code"),
            kind: try row.enumValue("kind", as: PersonKind.self), inflowReason: try row.optionalString("inflow_reason"),
            permitType: try row.optionalString("permit_type"), permitNumber: try row.optionalString("permit_number"),
            permitExpiry: try day("permit_expiry"), nationality: try row.optionalString("nationality"),
            foreignName: try row.optionalString("foreign_name"), visitPurpose: try row.optionalString("visit_purpose"),
            updatedAt: try row.int64("updated_at"))
    }

    public func find(id: Int64) async throws -> Person? {
        try await db.sql.raw("SELECT * FROM persons WHERE id = \(bind: id)").first().map(person)
    }

    public func find(certificateNumber: String) async throws -> Person? {
        try await db.sql.raw("SELECT * FROM persons WHERE cert_hash = \(bind: cipher.lookupHash(certificateNumber))").first().map(person)
    }

    public func ids(certificateNumbers: [String], in sql: any SQLDatabase) async throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        let unique = Array(Set(certificateNumbers))
        try await sql.insertBatches(unique, size: 500) { batch in
            let byHash = Dictionary(batch.map { (cipher.lookupHash($0), $0) }, uniquingKeysWith: { a, _ in a })
            for row in try await sql.raw("SELECT id, cert_hash FROM persons WHERE cert_hash IN (\(SQLList(Array(byHash.keys).map { SQLBind($0) })))").all() {
                if let number = byHash[try row.string("cert_hash")] { result[number] = try row.int64("id") }
            }
        }
        return result
    }

    public func search(_ q: PersonQuery) async throws -> (people: [Person], total: Int) {
        var conditions: [SQLQueryString] = [rangeCondition("grid_code", q.range)]
        if let prefix = q.namePrefix, !prefix.isEmpty {
            // U+10FFFF sorts after every continuation of the prefix, byte-wise and by code point.
            conditions.append("name >= \(bind: prefix) AND name < \(bind: prefix + "\u{10FFFF}")")
        }
        if let phone = q.phone { conditions.append("phone_hash = \(bind: cipher.lookupHash(phone))") }
        if let number = q.certificateNumber { conditions.append("cert_hash = \(bind: cipher.lookupHash(number))") }
        if let kind = q.kind { conditions.append("kind = \(bind: kind.rawValue)") }
        let filter = conditions.joined(separator: " AND ")
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM persons WHERE \(filter)").first()?.int("n") ?? 0
        let order: SQLQueryString = q.namePrefix.map { $0.isEmpty } == false ? "name, id" : "grid_code, id"
        let rows = try await db.sql.raw("""
            SELECT * FROM persons WHERE \(filter) ORDER BY \(order) LIMIT \(bind: q.limit) OFFSET \(bind: q.offset)
            """).all()
        return (try rows.map(person), total)
    }

    public func people(ids: [Int64]) async throws -> [Person] {
        var result: [Person] = []
        try await db.sql.insertBatches(Array(Set(ids)), size: 500) { batch in
            result += try await db.sql.raw("SELECT * FROM persons WHERE id IN (\(SQLList(batch.map { SQLBind($0) })))").all().map(person)
        }
        return result
    }
}
