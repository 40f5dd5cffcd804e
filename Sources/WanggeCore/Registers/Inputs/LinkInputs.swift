/// A person's tie to a house, naming both by their numbers: how spreadsheets and the phone app
/// link people to houses ("人房关联").
public struct ResidenceInput: Codable, Sendable, Hashable {
    public var certificateNumber: String?
    public var houseCode: String?
    /// `产权人`, `承租人`, `居住人` (when empty), `户在人不在`, their common names or keys.
    public var role: String?
    public var movedIn: String?
    public var movedOut: String?

    public init(certificateNumber: String? = nil, houseCode: String? = nil, role: String? = nil, movedIn: String? = nil,
                movedOut: String? = nil) {
        self.certificateNumber = certificateNumber
        self.houseCode = houseCode
        self.role = role
        self.movedIn = movedIn
        self.movedOut = movedOut
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(certificateNumber: try c.lenientString(.certificateNumber), houseCode: try c.lenientString(.houseCode),
                  role: try c.lenientString(.role), movedIn: try c.lenientString(.movedIn), movedOut: try c.lenientString(.movedOut))
    }

    /// The link with its person's number in stored form (`CertificateNumber.normalise`), or
    /// every problem found. Dates after `today`, when given, are rejected.
    public func validated(today: Day? = nil) -> Result<ResidenceDraft, ValidationErrors> {
        var p = Problems()
        let number = p.text(certificateNumber, "certificateNumber", "证件号码", max: 40, required: true).flatMap { raw in
            p.check("certificateNumber") { () throws(ValidationError) in try CertificateNumber.normalise(raw, today: today) }
        }
        let house = p.plainCode(houseCode, "houseCode", "房屋编码", required: true)
        let role: ResidenceRole? = p.choice(role, "role", "居住关系", default: .resident)
        let span = p.period(movedIn, "movedIn", "入住日期", movedOut, "movedOut", "迁出日期", today: today)
        return p.result {
            ResidenceDraft(certificateNumber: number!, houseCode: house!, role: role!, movedIn: span.start, movedOut: span.end)
        }
    }
}

/// A validated tie of a person to a house, both still named by their numbers.
public struct ResidenceDraft: Hashable, Codable, Sendable {
    public var certificateNumber: String
    public var houseCode: String
    public var role: ResidenceRole
    public var movedIn: Day?
    public var movedOut: Day?

    public init(certificateNumber: String, houseCode: String, role: ResidenceRole, movedIn: Day? = nil, movedOut: Day? = nil) {
        self.certificateNumber = certificateNumber
        self.houseCode = houseCode
        self.role = role
        self.movedIn = movedIn
        self.movedOut = movedOut
    }
}

/// A population role as a form or a role spreadsheet row gives it, naming the person by number.
public struct RoleInput: Codable, Sendable, Hashable {
    public var certificateNumber: String?
    /// Checked against the person's name once the number has found them.
    public var name: String?
    /// Key, label or alias of the kind (`correction`, `社区矫正`, `社区矫正人员`).
    public var kind: String?
    /// 关注程度 code or label; the kind's default when empty.
    public var attention: String?
    /// Days, 1–366; the kind's default when empty.
    public var visitEveryDays: String?
    public var since: String?
    public var until: String?
    /// The kind's fields by key or label.
    public var fields: [String: String]

    public init(certificateNumber: String? = nil, name: String? = nil, kind: String? = nil, attention: String? = nil,
                visitEveryDays: String? = nil, since: String? = nil, until: String? = nil, fields: [String: String] = [:]) {
        self.certificateNumber = certificateNumber
        self.name = name
        self.kind = kind
        self.attention = attention
        self.visitEveryDays = visitEveryDays
        self.since = since
        self.until = until
        self.fields = fields
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(certificateNumber: try c.lenientString(.certificateNumber), name: try c.lenientString(.name),
                  kind: try c.lenientString(.kind), attention: try c.lenientString(.attention),
                  visitEveryDays: try c.lenientString(.visitEveryDays), since: try c.lenientString(.since),
                  until: try c.lenientString(.until), fields: try c.lenientMap(.fields))
    }

    /// The role with defaults from its kind and its fields normalised, or every problem found.
    /// A problem with one of the kind's fields has field `fields.KEY` (`fields.category`).
    public func validated(kinds: PopulationRoleKinds = .standard, tables: CodeTables = .standard,
                          today: Day? = nil) -> Result<RoleDraft, ValidationErrors> {
        var p = Problems()
        let number = p.text(certificateNumber, "certificateNumber", "证件号码", max: 40, required: true).flatMap { raw in
            p.check("certificateNumber") { () throws(ValidationError) in try CertificateNumber.normalise(raw, today: today) }
        }
        let name = p.text(name, "name", "姓名", max: 50)
        var kind: PopulationRoleKind?
        if let text = Lenient.present(self.kind) {
            kind = kinds.resolve(text)
            if kind == nil { p.add("kind", "人员类别“\(text)”无效，可选：" + kinds.all.map(\.label).joined(separator: "、")) }
        } else {
            p.add("kind", "请填写人员类别(如 社区矫正、留守人员)")
        }
        let attention = p.code(attention, "attention", "关注程度", table: "关注程度", tables: tables)
        let visit = p.integer(visitEveryDays, "visitEveryDays", "走访周期(天)", in: 1...366)
        let span = p.period(since, "since", "开始日期", until, "until", "结束日期", today: nil)
        var fields: [String: String] = [:]
        if let kind {
            switch kind.normalise(fields: self.fields, tables: tables) {
            case .success(let normalised): fields = normalised
            case .failure(let errors): p.add(contentsOf: errors, prefix: "fields.")
            }
        }
        return p.result {
            RoleDraft(certificateNumber: number!, name: name, kind: kind!.key, attention: attention ?? kind!.defaultAttention,
                      visitEveryDays: visit ?? kind!.defaultVisitEveryDays, fields: fields, since: span.start, until: span.end)
        }
    }
}

/// A validated role, its person still named by certificate number.
public struct RoleDraft: Hashable, Codable, Sendable {
    public var certificateNumber: String
    /// As given, to check against the person found by number.
    public var name: String?
    /// The kind's key.
    public var kind: String
    public var attention: String
    public var visitEveryDays: Int
    public var fields: [String: String]
    public var since: Day?
    public var until: Day?

    public init(certificateNumber: String, name: String? = nil, kind: String, attention: String, visitEveryDays: Int,
                fields: [String: String] = [:], since: Day? = nil, until: Day? = nil) {
        self.certificateNumber = certificateNumber
        self.name = name
        self.kind = kind
        self.attention = attention
        self.visitEveryDays = visitEveryDays
        self.fields = fields
        self.since = since
        self.until = until
    }

    /// The role of the person found by number.
    public func role(personID: Int64, grid: GridCode, id: Int64? = nil) -> PopulationRole {
        PopulationRole(id: id, personID: personID, kind: kind, grid: grid, attention: attention, visitEveryDays: visitEveryDays,
                       fields: fields, since: since, until: until)
    }
}

extension Problems {
    /// Two dates of a period, the end not before the start and neither after `today` when given.
    mutating func period(_ rawStart: String?, _ startField: String, _ startLabel: String, _ rawEnd: String?, _ endField: String,
                         _ endLabel: String, today: Day?) -> (start: Day?, end: Day?) {
        var start = date(rawStart, startField, startLabel), end = date(rawEnd, endField, endLabel)
        if let today {
            if let s = start, s > today { add(startField, "\(startLabel)\(s)晚于今天"); start = nil }
            if let e = end, e > today { add(endField, "\(endLabel)\(e)晚于今天"); end = nil }
        }
        if let s = start, let e = end, e < s { add(endField, "\(endLabel)\(e)早于\(startLabel)\(s)") }
        return (start, end)
    }
}
