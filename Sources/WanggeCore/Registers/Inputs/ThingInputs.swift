/// An organisation as a form or a spreadsheet row gives it.
public struct OrganisationInput: Codable, Sendable, Hashable {
    /// `非公有制经济组织`/`企业`, `社会组织` or the key.
    public var kind: String?
    public var name: String?
    public var creditCode: String?
    /// Enterprises: 企业类别 and 登记注册类型 (required), 控股情况.
    public var enterpriseCategory: String?
    public var registrationType: String?
    public var holding: String?
    /// Social organisations: 社会组织类型 (required).
    public var socialType: String?
    public var legalRepresentative: String?
    public var phone: String?
    public var address: String?
    /// Optional: storage may find the grid from the position.
    public var grid: String?
    public var employees: String?
    public var lon: String?
    public var lat: String?

    public init(kind: String? = nil, name: String? = nil, creditCode: String? = nil, enterpriseCategory: String? = nil,
                registrationType: String? = nil, holding: String? = nil, socialType: String? = nil,
                legalRepresentative: String? = nil, phone: String? = nil, address: String? = nil, grid: String? = nil,
                employees: String? = nil, lon: String? = nil, lat: String? = nil) {
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.enterpriseCategory = enterpriseCategory
        self.registrationType = registrationType
        self.holding = holding
        self.socialType = socialType
        self.legalRepresentative = legalRepresentative
        self.phone = phone
        self.address = address
        self.grid = grid
        self.employees = employees
        self.lon = lon
        self.lat = lat
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try c.lenientString(.kind), name: try c.lenientString(.name), creditCode: try c.lenientString(.creditCode),
                  enterpriseCategory: try c.lenientString(.enterpriseCategory), registrationType: try c.lenientString(.registrationType),
                  holding: try c.lenientString(.holding), socialType: try c.lenientString(.socialType),
                  legalRepresentative: try c.lenientString(.legalRepresentative), phone: try c.lenientString(.phone),
                  address: try c.lenientString(.address), grid: try c.lenientString(.grid), employees: try c.lenientString(.employees),
                  lon: try c.lenientString(.lon), lat: try c.lenientString(.lat))
    }

    /// The organisation without its grid when none was given, or every problem found. The
    /// codes of the other kind (社会组织类型 for an enterprise) are rejected, not dropped.
    public func validated(tables: CodeTables = .standard) -> Result<OrganisationDraft, ValidationErrors> {
        var p = Problems()
        let kind: OrganisationKind? = p.choice(kind, "kind", "组织类别")
        let name = p.text(name, "name", "组织名称", max: 100, required: true)
        let credit = p.text(creditCode, "creditCode", "统一社会信用代码", max: 40, required: true).flatMap { raw in
            p.check("creditCode") { () throws(ValidationError) in try CreditCode(raw).value }
        }
        let enterprise = kind == .enterprise, social = kind == .social
        let category = p.code(enterpriseCategory, "enterpriseCategory", "企业类别", table: "企业类别", tables: tables, required: enterprise)
        let registration = p.code(registrationType, "registrationType", "登记注册类型", table: "登记注册类型", tables: tables,
                                  required: enterprise)
        let holding = p.code(holding, "holding", "控股情况", table: "控股情况", tables: tables)
        let socialType = p.code(socialType, "socialType", "社会组织类型", table: "社会组织类型", tables: tables, required: social)
        if social {
            for (raw, field, label) in [(enterpriseCategory, "enterpriseCategory", "企业类别"), (registrationType, "registrationType", "登记注册类型"),
                                        (self.holding, "holding", "控股情况")]
            where Lenient.present(raw) != nil {
                p.add(field, "\(label)仅非公有制经济组织填写，此组织为社会组织")
            }
        }
        if enterprise, Lenient.present(self.socialType) != nil { p.add("socialType", "社会组织类型仅社会组织填写，此组织为非公有制经济组织") }
        let representative = p.text(legalRepresentative, "legalRepresentative", "法定代表人", max: 50, required: true)
        let phone = Lenient.present(phone).flatMap { raw in p.check("phone") { () throws(ValidationError) in try PhoneNumber.normalise(raw) } }
        let address = p.text(address, "address", "地址", max: 200, required: true)
        let grid = p.grid(grid, required: false)
        let employees = p.integer(employees, "employees", "从业人员数", in: 0...1_000_000)
        let position = Lenient.position(lon: lon, lat: lat, required: false, problems: &p)
        return p.result {
            OrganisationDraft(kind: kind!, name: name!, creditCode: credit!, enterpriseCategory: category, registrationType: registration,
                              holding: holding, socialType: socialType, legalRepresentative: representative!, phone: phone,
                              address: address!, grid: grid, employees: employees, lon: position?.lon, lat: position?.lat)
        }
    }
}

/// A validated organisation whose grid may still have to be found from its position.
public struct OrganisationDraft: Hashable, Codable, Sendable {
    public var kind: OrganisationKind
    public var name: String
    public var creditCode: String
    public var enterpriseCategory: String?
    public var registrationType: String?
    public var holding: String?
    public var socialType: String?
    public var legalRepresentative: String
    public var phone: String?
    public var address: String
    public var grid: GridCode?
    public var employees: Int?
    public var lon: Double?
    public var lat: Double?

    public init(kind: OrganisationKind, name: String, creditCode: String, enterpriseCategory: String? = nil,
                registrationType: String? = nil, holding: String? = nil, socialType: String? = nil, legalRepresentative: String,
                phone: String? = nil, address: String, grid: GridCode? = nil, employees: Int? = nil, lon: Double? = nil,
                lat: Double? = nil) {
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.enterpriseCategory = enterpriseCategory
        self.registrationType = registrationType
        self.holding = holding
        self.socialType = socialType
        self.legalRepresentative = legalRepresentative
        self.phone = phone
        self.address = address
        self.grid = grid
        self.employees = employees
        self.lon = lon
        self.lat = lat
    }

    /// The organisation in `grid` (the one given, or the one its position lies in).
    public func organisation(in grid: GridCode, id: Int64? = nil) -> Organisation {
        Organisation(id: id, kind: kind, name: name, creditCode: creditCode, enterpriseCategory: enterpriseCategory,
                     registrationType: registrationType, holding: holding, socialType: socialType,
                     legalRepresentative: legalRepresentative, phone: phone, address: address, grid: grid, employees: employees,
                     lon: lon, lat: lat)
    }
}

/// A city component as a form or a spreadsheet row gives it.
public struct ComponentInput: Codable, Sendable, Hashable {
    /// 16-digit component code.
    public var code: String?
    /// `完好` (when empty), `破损`, `丢失`, `占用`, `废弃` or the key.
    public var state: String?
    public var owner: String?
    /// Required: a component is a point on the map.
    public var lon: String?
    public var lat: String?
    /// Optional: storage may find the grid from the position.
    public var grid: String?

    public init(code: String? = nil, state: String? = nil, owner: String? = nil, lon: String? = nil, lat: String? = nil,
                grid: String? = nil) {
        self.code = code
        self.state = state
        self.owner = owner
        self.lon = lon
        self.lat = lat
        self.grid = grid
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.lenientString(.code), state: try c.lenientString(.state), owner: try c.lenientString(.owner),
                  lon: try c.lenientString(.lon), lat: try c.lenientString(.lat), grid: try c.lenientString(.grid))
    }

    /// The component, or every problem found. A given grid must lie in the county the code names.
    public func validated(tables: CodeTables = .standard) -> Result<ComponentDraft, ValidationErrors> {
        var p = Problems()
        let code = p.text(code, "code", "部件编码", max: 40, required: true).flatMap { raw in
            p.check("code") { () throws(ValidationError) in try ComponentCode(raw, tables: tables) }
        }
        let state: ComponentState? = p.choice(state, "state", "部件状态", default: .intact)
        let owner = p.text(owner, "owner", "权属单位", max: 100)
        let position = Lenient.position(lon: lon, lat: lat, required: true, problems: &p)
        let grid = p.grid(grid, required: false)
        if let code, let grid, grid.countyCode != code.county {
            p.add("grid", "网格\(grid.value)不在部件编码所属区县\(code.county)内")
        }
        return p.result {
            ComponentDraft(code: code!.value, state: state!, owner: owner, lon: position!.lon, lat: position!.lat, grid: grid)
        }
    }
}

/// A validated component whose grid may still have to be found from its position.
public struct ComponentDraft: Hashable, Codable, Sendable {
    public var code: String
    public var state: ComponentState
    public var owner: String?
    public var lon: Double
    public var lat: Double
    public var grid: GridCode?

    public init(code: String, state: ComponentState, owner: String? = nil, lon: Double, lat: Double, grid: GridCode? = nil) {
        self.code = code
        self.state = state
        self.owner = owner
        self.lon = lon
        self.lat = lat
        self.grid = grid
    }

    /// The component in `grid` (the one given, or the one its position lies in).
    public func component(in grid: GridCode, id: Int64? = nil) -> Component {
        Component(id: id, code: code, grid: grid, state: state, owner: owner, lon: lon, lat: lat)
    }
}
