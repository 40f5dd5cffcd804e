import Hummingbird
import WanggeCore
import WanggeStorage

/// A page of a register list.
struct PageResponse<Item: Codable & Sendable>: ResponseCodable {
    var items: [Item]
    var total: Int
    var offset: Int
    var limit: Int
}

/// A person as every answer shows them: certificate and phone numbers masked. There is no
/// initialiser that keeps them unmasked; revealing one is `POST /people/{id}/reveal`.
struct PersonDTO: ResponseCodable {
    var id: Int64
    var name: String
    var certificateType: String
    var certificateNumber: String
    var sex: String
    var birthDate: String?
    var ethnicity: String?
    var phone: String?
    var registeredDivision: String?
    var registeredAddress: String?
    var currentAddress: String?
    var grid: String
    var kind: String
    var inflowReason: String?
    var permitType: String?
    var permitNumber: String?
    var permitExpiry: String?
    var nationality: String?
    var foreignName: String?
    var visitPurpose: String?
    /// Labels of the coded fields above, for display.
    var labels: [String: String]

    init(_ p: Person, tables: CodeTables = .standard) {
        id = p.id ?? 0
        name = p.name
        certificateType = p.certificateType.rawValue
        certificateNumber = Masking.certificate(p.certificateNumber, type: p.certificateType)
        sex = p.sex.rawValue
        birthDate = p.birthDate?.description
        ethnicity = p.ethnicity
        phone = p.phone.map(Masking.phone)
        registeredDivision = p.registeredDivision
        registeredAddress = p.registeredAddress
        currentAddress = p.currentAddress
        grid = p.grid.value
        kind = p.kind.rawValue
        inflowReason = p.inflowReason
        permitType = p.permitType
        permitNumber = p.permitNumber.map { Masking.certificate($0, type: .other) }
        permitExpiry = p.permitExpiry?.description
        nationality = p.nationality
        foreignName = p.foreignName
        visitPurpose = p.visitPurpose
        var labels = ["certificateType": p.certificateType.label, "sex": p.sex.label, "kind": p.kind.label]
        func label(_ field: String, _ table: String, _ code: String?) {
            if let code, let text = tables[table]?.label(of: code) { labels[field] = text }
        }
        label("ethnicity", "民族", p.ethnicity)
        label("inflowReason", "流入原因", p.inflowReason)
        label("permitType", "办证类型", p.permitType)
        label("visitPurpose", "来华目的", p.visitPurpose)
        self.labels = labels
    }
}

struct BuildingDTO: ResponseCodable {
    var id: Int64
    var code: String
    var name: String
    var address: String
    var grid: String
    var use: String
    var useLabel: String?
    var floors: Int?
    var units: Int?
    var lon: Double?
    var lat: Double?

    init(_ b: Building) {
        id = b.id ?? 0
        code = b.code
        name = b.name
        address = b.address
        grid = b.grid.value
        use = b.use
        useLabel = CodeTables.standard["建筑用途"]?.label(of: b.use)
        floors = b.floors
        units = b.units
        lon = b.lon
        lat = b.lat
    }
}

struct HouseDTO: ResponseCodable {
    var id: Int64
    var code: String
    var buildingID: Int64
    var grid: String
    var unit: String?
    var floor: Int?
    var room: String
    var address: String
    var use: String
    var useLabel: String?
    var rented: Bool
    var rentalUse: String?
    var rentalUseLabel: String?
    var area: Double?

    init(_ h: House) {
        id = h.id ?? 0
        code = h.code
        buildingID = h.buildingID
        grid = h.grid.value
        unit = h.unit
        floor = h.floor
        room = h.room
        address = h.address
        use = h.use
        useLabel = CodeTables.standard["建筑用途"]?.label(of: h.use)
        rented = h.isRented
        rentalUse = h.rentalUse
        rentalUseLabel = h.rentalUse.flatMap { CodeTables.standard["出租用途"]?.label(of: $0) }
        area = h.area
    }
}

struct ResidenceDTO: ResponseCodable {
    var id: Int64
    var role: String
    var roleLabel: String
    var movedIn: String?
    var movedOut: String?
    var current: Bool
    var person: PersonDTO?
    var house: HouseDTO?

    init(_ r: Residence, person: Person? = nil, house: House? = nil) {
        id = r.id ?? 0
        role = r.role.rawValue
        roleLabel = r.role.label
        movedIn = r.movedIn?.description
        movedOut = r.movedOut?.description
        current = r.isCurrent
        self.person = person.map { PersonDTO($0) }
        self.house = house.map(HouseDTO.init)
    }
}

struct RoleDTO: ResponseCodable {
    var id: Int64
    var personID: Int64
    var kind: String
    var kindLabel: String
    var group: String
    var grid: String
    var attention: String
    var attentionLabel: String?
    var visitEveryDays: Int
    var fields: [String: String]
    /// Field labels and value labels, in the kind's field order, for display.
    var display: [DisplayField]
    var since: String?
    var until: String?
    var person: PersonDTO?

    struct DisplayField: Codable, Sendable {
        var key: String
        var label: String
        var value: String
    }

    init(_ r: PopulationRole, person: Person? = nil, kinds: PopulationRoleKinds = .standard, tables: CodeTables = .standard) {
        let kind = kinds[r.kind]
        id = r.id ?? 0
        personID = r.personID
        self.kind = r.kind
        kindLabel = kind?.label ?? r.kind
        group = kind?.group.rawValue ?? ""
        grid = r.grid.value
        attention = r.attention
        attentionLabel = tables["关注程度"]?.label(of: r.attention)
        visitEveryDays = r.visitEveryDays
        fields = r.fields
        display = (kind?.fields ?? []).compactMap { field in
            guard let value = r.fields[field.key] else { return nil }
            return DisplayField(key: field.key, label: field.label, value: RoleDTO.label(value, of: field, tables: tables))
        }
        since = r.since?.description
        until = r.until?.description
        self.person = person.map { PersonDTO($0) }
    }

    static func label(_ value: String, of field: RoleField, tables: CodeTables) -> String {
        switch field.type {
        case .code(let table):
            return tables[table]?.label(of: value) ?? value
        case .codes(let table):
            return value.split(separator: ",").map { tables[table]?.label(of: String($0)) ?? String($0) }.joined(separator: "、")
        case .bool:
            return value == "true" ? "是" : "否"
        default:
            return value
        }
    }
}

struct OrganisationDTO: ResponseCodable {
    var id: Int64
    var kind: String
    var name: String
    var creditCode: String
    var enterpriseCategory: String?
    var registrationType: String?
    var holding: String?
    var socialType: String?
    var legalRepresentative: String
    var phone: String?
    var address: String
    var grid: String
    var employees: Int?
    var lon: Double?
    var lat: Double?

    init(_ o: Organisation) {
        id = o.id ?? 0
        kind = o.kind.rawValue
        name = o.name
        creditCode = o.creditCode
        enterpriseCategory = o.enterpriseCategory
        registrationType = o.registrationType
        holding = o.holding
        socialType = o.socialType
        legalRepresentative = o.legalRepresentative
        // An organisation's contact number is published on its licence; a person's is not.
        phone = o.phone
        address = o.address
        grid = o.grid.value
        employees = o.employees
        lon = o.lon
        lat = o.lat
    }
}

struct ComponentDTO: ResponseCodable {
    var id: Int64
    var code: String
    var majorClass: String
    var minorClass: String
    var className: String?
    var grid: String
    var state: String
    var stateLabel: String
    var owner: String?
    var lon: Double
    var lat: Double

    init(_ c: Component) {
        id = c.id ?? 0
        code = c.code
        majorClass = c.majorClass
        minorClass = c.minorClass
        className = CodeTables.standard["城市部件小类"]?.label(of: c.minorClass)
        grid = c.grid.value
        state = c.state.rawValue
        stateLabel = c.state.label
        owner = c.owner
        lon = c.lon
        lat = c.lat
    }
}
