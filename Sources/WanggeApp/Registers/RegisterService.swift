import Foundation
import SQLKit
import WanggeCore
import WanggeStorage

/// Writes to the registers from forms (web and phone), with territory, validation and audit in
/// one place; the importer reuses the same store for files.
struct RegisterService: Sendable {
    let store: RegisterStore
    let repos: Repositories
    let index: GridIndexCache
    let now: @Sendable () -> Int64

    var today: Day { Day(daysSinceEpoch: Int((now() + Day.utcOffsetSeconds) / 86_400)) }

    /// The grid a record is filed under: the one given, or the unit grid at its position; it must
    /// exist and lie in the caller's territory.
    func grid(given: GridCode?, lon: Double?, lat: Double?, caller: Caller) async throws -> GridCode {
        let code: GridCode
        if let given {
            code = given
        } else if let lon, let lat {
            guard let found = try await index.current().index.locate(lon: lon, lat: lat) else {
                throw AppError.badRequest("坐标(\(lat), \(lon))不在任何网格中，请填写所属网格", field: "grid")
            }
            code = found
        } else {
            throw AppError.badRequest("请填写所属网格或位置", field: "grid")
        }
        try caller.requireVisible(code)
        guard try await repos.grids.find(code) != nil else { throw AppError.badRequest("网格\(code)不存在", field: "grid") }
        return code
    }

    /// Creates the person or, when the certificate number is already registered in the caller's
    /// territory, updates them. A number registered elsewhere is a conflict: moving a person
    /// between territories is for the centre above both.
    ///
    /// An update keeps what the form leaves out (a key absent, not an empty string): forms only
    /// ever see phone and permit numbers masked, so they cannot send them back.
    /// - Parameter alongside: runs in the same transaction with the person's id (an idempotency key's record).
    func savePerson(_ input: PersonInput, link: (houseCode: String, role: ResidenceRole, movedIn: Day?)?, caller: Caller,
                    actor: AuditActor,
                    alongside: (@Sendable (Int64, any SQLDatabase) async throws -> Void)? = nil) async throws -> (person: Person, outcome: UpsertOutcome) {
        try caller.require(.editRegisters)
        var person = try input.validated(tables: .standard, today: today).get()
        person.grid = try await grid(given: person.grid, lon: nil, lat: nil, caller: caller)
        if let existing = try await store.people.find(certificateNumber: person.certificateNumber) {
            guard caller.territory.contains(existing.grid) else {
                throw AppError.conflict("该证件号码已在其他辖区登记；人员迁入请联系上级指挥中心办理", field: "certificateNumber")
            }
            person = Self.keepingOmitted(person, existing: existing, input: input)
        }
        var house: House?
        var link = link
        if let wanted = link {
            guard let found = try await store.places.house(code: wanted.houseCode), caller.territory.contains(found.grid) else {
                throw AppError.badRequest("没有找到房屋\(wanted.houseCode)", field: "houseCode")
            }
            house = found
            // Re-sending the tie without its date keeps the recorded one (person.id is set only for someone registered).
            if wanted.movedIn == nil, let id = person.id,
               let current = try await store.residences.residences(personID: id).first(where: { $0.houseID == found.id && $0.isCurrent }) {
                link?.movedIn = current.movedIn
            }
        }
        let stamp = now()
        let candidate = person
        let home = house
        let tie = link
        let saved = try await store.database.transaction { tx in
            let result = try await store.people.upsert([candidate], now: stamp, in: tx)[0]
            if let home, let tie {
                _ = try await store.residences.record(
                    [Residence(personID: result.id, houseID: home.id ?? 0, role: tie.role, movedIn: tie.movedIn)], in: tx)
            }
            try await alongside?(result.id, tx)
            if result.outcome != .unchanged {
                try await repos.audit.append(actor.entry(result.outcome == .created ? "person_added" : "person_updated",
                                                         target: "person:\(result.id)", detail: candidate.name), in: tx)
            }
            return result
        }
        person.id = saved.id
        return (person, saved.outcome)
    }

    /// `person` with the stored values of the optional fields the input did not mention; fields
    /// of a person kind are kept only while the kind stays the same.
    static func keepingOmitted(_ person: Person, existing: Person, input: PersonInput) -> Person {
        var p = person
        p.id = existing.id
        func keep<T>(_ raw: String?, _ path: WritableKeyPath<Person, T?>) {
            if raw == nil, p[keyPath: path] == nil { p[keyPath: path] = existing[keyPath: path] }
        }
        keep(input.ethnicity, \.ethnicity)
        keep(input.phone, \.phone)
        keep(input.registeredDivision, \.registeredDivision)
        keep(input.registeredAddress, \.registeredAddress)
        keep(input.currentAddress, \.currentAddress)
        if p.kind == existing.kind {
            keep(input.inflowReason, \.inflowReason)
            keep(input.permitType, \.permitType)
            keep(input.permitNumber, \.permitNumber)
            keep(input.permitExpiry, \.permitExpiry)
            keep(input.nationality, \.nationality)
            keep(input.foreignName, \.foreignName)
            keep(input.visitPurpose, \.visitPurpose)
        }
        return p
    }

    /// A person visible to the caller, or 404 (never 403: outside the territory they do not exist).
    func visiblePerson(_ id: Int64, caller: Caller) async throws -> Person {
        try caller.require(.readRegisters)
        guard let person = try await store.people.find(id: id), caller.territory.contains(person.grid) else {
            throw AppError.notFound("没有找到人员\(id)")
        }
        return person
    }

    enum RevealField: String, Codable, Sendable {
        case certificateNumber
        case phone

        var label: String { self == .certificateNumber ? "证件号码" : "联系电话" }
    }

    /// The unmasked value, after the reason is written into the audit chain in the same
    /// transaction: if the audit cannot be written, nothing is revealed.
    func reveal(personID: Int64, field: RevealField, reason: String, caller: Caller, actor: AuditActor) async throws -> String {
        let person = try await visiblePerson(personID, caller: caller)
        try caller.require(.revealPersonalData)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 4 else { throw AppError.badRequest("请写明查看原因(至少4个字)", field: "reason") }
        guard reason.count <= 200 else { throw AppError.badRequest("查看原因最多200字", field: "reason") }
        let value: String? = field == .certificateNumber ? person.certificateNumber : person.phone
        guard let value else { throw AppError.notFound("该人员没有登记\(field.label)") }
        var scoped = actor
        scoped.scope = person.grid
        let entryActor = scoped
        try await store.database.transaction { tx in
            try await repos.audit.append(entryActor.entry("personal_data_revealed", target: "person:\(personID)",
                                                          detail: "\(field.label)；原因：\(reason)"), in: tx)
        }
        return value
    }
}

extension RegisterService {
    /// Upserts one record in a transaction and, when something changed, audits it in the same one.
    func saveAudited(_ action: String, target: @escaping @Sendable (Int64) -> String, detail: String, actor: AuditActor,
                     _ upsert: @escaping @Sendable (any SQLDatabase) async throws -> (id: Int64, outcome: UpsertOutcome))
        async throws -> (id: Int64, outcome: UpsertOutcome) {
        let audit = repos.audit
        return try await store.database.transaction { tx in
            let result = try await upsert(tx)
            if result.outcome != .unchanged {
                try await audit.append(actor.entry(action, target: target(result.id), detail: detail), in: tx)
            }
            return result
        }
    }
}

extension Result where Failure == ValidationErrors {
    /// The valid value, or a 400 naming every invalid field.
    func orInvalid() throws(AppError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let errors): throw AppError.invalid(errors)
        }
    }
}
