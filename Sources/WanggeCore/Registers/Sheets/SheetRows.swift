/// A row of the people sheet: the person, and optionally the house they live in, so that one
/// sheet registers both ("人房关联" in one go).
public struct PersonRow: Codable, Sendable, Hashable {
    public var person: PersonInput
    public var houseCode: String?
    /// `产权人`, `承租人`, `居住人` (when empty), `户在人不在` or the key.
    public var residenceRole: String?
    public var movedIn: String?

    public init(person: PersonInput, houseCode: String? = nil, residenceRole: String? = nil, movedIn: String? = nil) {
        self.person = person
        self.houseCode = houseCode
        self.residenceRole = residenceRole
        self.movedIn = movedIn
    }

    /// The person and the link to the house, or every problem found. 居住关系 or 入住日期
    /// without a 房屋编码 is a problem: the row meant a link it does not make.
    public func validated(tables: CodeTables = .standard, today: Day) -> Result<PersonRecord, ValidationErrors> {
        var p = Problems()
        var person: Person?
        switch self.person.validated(tables: tables, today: today) {
        case .success(let valid): person = valid
        case .failure(let errors): p.add(contentsOf: errors)
        }
        let house = p.plainCode(houseCode, "houseCode", "房屋编码", required: false)
        let role: ResidenceRole? = p.choice(residenceRole, "residenceRole", "居住关系", default: .resident)
        let span = p.period(movedIn, "movedIn", "入住日期", nil, "movedOut", "迁出日期", today: today)
        if house == nil, Lenient.present(houseCode) == nil, Lenient.present(residenceRole) != nil || Lenient.present(movedIn) != nil {
            p.add("houseCode", "填写了居住关系或入住日期，请同时填写房屋编码")
        }
        return p.result {
            let person = person!
            let residence = house.map {
                ResidenceDraft(certificateNumber: person.certificateNumber, houseCode: $0, role: role!, movedIn: span.start)
            }
            return PersonRecord(person: person, residence: residence)
        }
    }
}

/// A validated row of the people sheet.
public struct PersonRecord: Hashable, Sendable {
    public var person: Person
    /// The tie to the house named in the row, if any.
    public var residence: ResidenceDraft?

    public init(person: Person, residence: ResidenceDraft? = nil) {
        self.person = person
        self.residence = residence
    }
}

/// What a validated row of a register sheet holds.
public enum SheetRecord: Hashable, Sendable {
    case building(BuildingDraft)
    case house(HouseDraft)
    case person(PersonRecord)
    case residence(ResidenceDraft)
    case organisation(OrganisationDraft)
    case component(ComponentDraft)
    case role(RoleDraft)
}

/// The outcome of reading one row.
public enum ParsedRow: Hashable, Sendable {
    /// Every cell blank: spreadsheets carry such rows below the data, they mean nothing.
    case empty
    case record(SheetRecord)
    /// Every problem of the row, each under the Chinese header of its column.
    case rejected([RowError])
}

extension RegisterSheet {
    /// Reads and validates one data row (`row` is its 1-based number in the file, the header
    /// being row 1). Each problem becomes a `RowError` naming the column by its Chinese header.
    public func parse(_ cells: [String], row: Int, map: ColumnMap, tables: CodeTables = .standard, today: Day) -> ParsedRow {
        guard cells.contains(where: { Lenient.present($0) != nil }) else { return .empty }
        func cell(_ field: String) -> String? { map.cell(field, in: cells) }
        let result: Result<SheetRecord, ValidationErrors>
        switch kind {
        case .buildings:
            result = BuildingInput(code: cell("code"), name: cell("name"), address: cell("address"), grid: cell("grid"), use: cell("use"),
                                   floors: cell("floors"), units: cell("units"), lon: cell("lon"), lat: cell("lat"))
                .validated(tables: tables).map(SheetRecord.building)
        case .houses:
            result = HouseInput(code: cell("code"), buildingCode: cell("buildingCode"), unit: cell("unit"), floor: cell("floor"),
                                room: cell("room"), use: cell("use"), rentalUse: cell("rentalUse"), area: cell("area"))
                .validated(tables: tables).map(SheetRecord.house)
        case .people:
            let person = PersonInput(
                name: cell("name"), certificateType: cell("certificateType"), certificateNumber: cell("certificateNumber"),
                sex: cell("sex"), birthDate: cell("birthDate"), ethnicity: cell("ethnicity"), phone: cell("phone"),
                registeredDivision: cell("registeredDivision"), registeredAddress: cell("registeredAddress"),
                currentAddress: cell("currentAddress"), grid: cell("grid"), kind: cell("kind"), inflowReason: cell("inflowReason"),
                permitType: cell("permitType"), permitNumber: cell("permitNumber"), permitExpiry: cell("permitExpiry"),
                nationality: cell("nationality"), foreignName: cell("foreignName"), visitPurpose: cell("visitPurpose"))
            result = PersonRow(person: person, houseCode: cell("houseCode"), residenceRole: cell("residenceRole"), movedIn: cell("movedIn"))
                .validated(tables: tables, today: today).map(SheetRecord.person)
        case .residences:
            result = ResidenceInput(certificateNumber: cell("certificateNumber"), houseCode: cell("houseCode"), role: cell("role"),
                                    movedIn: cell("movedIn"), movedOut: cell("movedOut"))
                .validated(today: today).map(SheetRecord.residence)
        case .organisations:
            result = OrganisationInput(
                kind: cell("kind"), name: cell("name"), creditCode: cell("creditCode"), enterpriseCategory: cell("enterpriseCategory"),
                registrationType: cell("registrationType"), holding: cell("holding"), socialType: cell("socialType"),
                legalRepresentative: cell("legalRepresentative"), phone: cell("phone"), address: cell("address"), grid: cell("grid"),
                employees: cell("employees"), lon: cell("lon"), lat: cell("lat"))
                .validated(tables: tables).map(SheetRecord.organisation)
        case .components:
            result = ComponentInput(code: cell("code"), state: cell("state"), owner: cell("owner"), lon: cell("lon"), lat: cell("lat"),
                                    grid: cell("grid"))
                .validated(tables: tables).map(SheetRecord.component)
        case .roles(let key):
            var fields: [String: String] = [:]
            for column in columns where column.field.hasPrefix("fields.") {
                if let value = cell(column.field) { fields[String(column.field.dropFirst(7))] = value }
            }
            result = RoleInput(certificateNumber: cell("certificateNumber"), name: cell("name"), kind: key,
                               attention: cell("attention"), visitEveryDays: cell("visitEveryDays"), since: cell("since"),
                               until: cell("until"), fields: fields)
                .validated(kinds: roles, tables: tables, today: today).map(SheetRecord.role)
        }
        switch result {
        case .success(let record): return .record(record)
        case .failure(let errors): return .rejected(errors.items.map { rowError($0, row: row) })
        }
    }

    /// The problem under its column's header; a problem of no column stays on the row with the
    /// field named in the message.
    func rowError(_ error: ValidationError, row: Int) -> RowError {
        if let column = columns.first(where: { $0.field == error.field }) {
            return RowError(row: row, column: column.header, error.message)
        }
        return RowError(row: row, error.description)
    }
}
