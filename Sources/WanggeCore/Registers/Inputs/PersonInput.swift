/// A person as a web form, the phone app or a spreadsheet row gives it: every field text,
/// codes as codes or labels. `validated` turns it into a `Person` or says everything wrong.
public struct PersonInput: Codable, Sendable, Hashable {
    public var name: String?
    /// Key (`resident_id`) or label (`居民身份证`, `身份证`, `护照` …); a resident ID when empty.
    public var certificateType: String?
    public var certificateNumber: String?
    /// Derived from a resident ID (and checked against it when given); required otherwise.
    public var sex: String?
    public var birthDate: String?
    /// 民族 code or label.
    public var ethnicity: String?
    public var phone: String?
    public var registeredDivision: String?
    public var registeredAddress: String?
    public var currentAddress: String?
    /// 15-digit unit grid or 12-digit community code.
    public var grid: String?
    /// `户籍人口`/`户籍`, `流动人口`/`流动`, `境外人员`/`境外` or the key.
    public var kind: String?
    /// 流动人口: 流入原因 (required), 办证类型, permit number and expiry.
    public var inflowReason: String?
    public var permitType: String?
    public var permitNumber: String?
    public var permitExpiry: String?
    /// 境外人员: nationality (ISO 3166-1 alpha-3, required), name in Latin letters, 来华目的 (required).
    public var nationality: String?
    public var foreignName: String?
    public var visitPurpose: String?

    public init(name: String? = nil, certificateType: String? = nil, certificateNumber: String? = nil, sex: String? = nil,
                birthDate: String? = nil, ethnicity: String? = nil, phone: String? = nil, registeredDivision: String? = nil,
                registeredAddress: String? = nil, currentAddress: String? = nil, grid: String? = nil, kind: String? = nil,
                inflowReason: String? = nil, permitType: String? = nil, permitNumber: String? = nil, permitExpiry: String? = nil,
                nationality: String? = nil, foreignName: String? = nil, visitPurpose: String? = nil) {
        self.name = name
        self.certificateType = certificateType
        self.certificateNumber = certificateNumber
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.phone = phone
        self.registeredDivision = registeredDivision
        self.registeredAddress = registeredAddress
        self.currentAddress = currentAddress
        self.grid = grid
        self.kind = kind
        self.inflowReason = inflowReason
        self.permitType = permitType
        self.permitNumber = permitNumber
        self.permitExpiry = permitExpiry
        self.nationality = nationality
        self.foreignName = foreignName
        self.visitPurpose = visitPurpose
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.lenientString(.name), certificateType: try c.lenientString(.certificateType),
            certificateNumber: try c.lenientString(.certificateNumber), sex: try c.lenientString(.sex),
            birthDate: try c.lenientString(.birthDate), ethnicity: try c.lenientString(.ethnicity), phone: try c.lenientString(.phone),
            registeredDivision: try c.lenientString(.registeredDivision), registeredAddress: try c.lenientString(.registeredAddress),
            currentAddress: try c.lenientString(.currentAddress), grid: try c.lenientString(.grid), kind: try c.lenientString(.kind),
            inflowReason: try c.lenientString(.inflowReason), permitType: try c.lenientString(.permitType),
            permitNumber: try c.lenientString(.permitNumber), permitExpiry: try c.lenientString(.permitExpiry),
            nationality: try c.lenientString(.nationality), foreignName: try c.lenientString(.foreignName),
            visitPurpose: try c.lenientString(.visitPurpose)
        )
    }

    /// The person, every value normalised (codes resolved from labels, dates `yyyy-MM-dd`,
    /// phones and numbers in their stored form), or every problem found.
    ///
    /// A resident ID gives sex and birth date; when the input also gives them they must agree.
    /// Other certificates need both typed. Fields of another kind (流入原因 for a registered
    /// resident, 国籍 for a floating one) are rejected rather than dropped, since they show the
    /// kind or the column is wrong.
    public func validated(tables: CodeTables = .standard, today: Day) -> Result<Person, ValidationErrors> {
        var p = Problems()
        let name = p.text(name, "name", "姓名", max: 50, required: true)
        let kind: PersonKind? = p.choice(kind, "kind", "人员类别")
        let type: CertificateType? = p.choice(certificateType, "certificateType", "证件类型", default: .residentID)
        var givenSex: Sex?
        if let text = Lenient.present(sex) {
            givenSex = Sex.resolve(text)
            if givenSex == nil { p.add("sex", "性别“\(text)”无效，可选：男、女") }
        }
        let givenBirth = p.date(birthDate, "birthDate", "出生日期")
        var number: String?, personSex: Sex?, birth: Day?
        if let type, let raw = p.text(certificateNumber, "certificateNumber", "证件号码", max: 40, required: true) {
            if type == .residentID {
                if let id = p.check("certificateNumber", { () throws(ValidationError) in try IDNumber(raw, today: today) }) {
                    (number, personSex, birth) = (id.value, id.sex, id.birthDate)
                    if let givenSex, givenSex != id.sex { p.add("sex", "性别与身份证号不符：身份证号为\(id.sex.label)性") }
                    if let givenBirth, givenBirth != id.birthDate { p.add("birthDate", "出生日期与身份证号不符：身份证号为\(id.birthDate)") }
                }
            } else {
                number = p.check("certificateNumber") { () throws(ValidationError) in
                    try CertificateNumber.normalise(raw, type: type)
                }
            }
        }
        if let type, type != .residentID {
            personSex = givenSex
            birth = givenBirth
            if Lenient.present(sex) == nil { p.add("sex", "证件类型为\(type.label)时须填写性别") }
            if Lenient.present(birthDate) == nil { p.add("birthDate", "证件类型为\(type.label)时须填写出生日期") }
            if let b = birth, b > today {
                p.add("birthDate", "出生日期\(b)晚于今天")
                birth = nil
            }
        }
        let ethnicity = p.code(ethnicity, "ethnicity", "民族", table: "民族", tables: tables)
        let phone = Lenient.present(phone).flatMap { raw in p.check("phone") { () throws(ValidationError) in try PhoneNumber.normalise(raw) } }
        let division = Lenient.present(registeredDivision).flatMap { raw in
            p.check("registeredDivision") { () throws(ValidationError) in try DivisionCode.validate(raw) }
        }
        let registeredAddress = p.text(registeredAddress, "registeredAddress", "户籍地址", max: 200)
        let currentAddress = p.text(currentAddress, "currentAddress", "现住址", max: 200)
        let grid = p.grid(grid, required: true)

        let floating = kind == .floating, foreign = kind == .foreign
        let inflowReason = p.code(inflowReason, "inflowReason", "流入原因", table: "流入原因", tables: tables, required: floating)
        let permitType = p.code(permitType, "permitType", "办证类型", table: "办证类型", tables: tables)
        let permitNumber = p.text(permitNumber, "permitNumber", "办证号码", max: 40).map { Lenient.fold($0).uppercased() }
        let permitExpiry = p.date(permitExpiry, "permitExpiry", "办证有效期至")
        var nationality: String?
        if let text = Lenient.present(self.nationality).map({ Lenient.fold($0).uppercased() }) {
            if text.count == 3, text.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                nationality = text
            } else {
                p.add("nationality", "国籍应为三位字母代码(ISO 3166-1，如 USA、KOR)，收到“\(text)”")
            }
        } else if foreign {
            p.add("nationality", "境外人员须填写国籍(三位字母代码，如 USA)")
        }
        let foreignName = p.text(foreignName, "foreignName", "外文姓名", max: 100)
        if let foreignName, !foreignName.allSatisfy({ $0.isASCII && ($0.isLetter || " -'.,".contains($0)) }) {
            p.add("foreignName", "外文姓名只能包含拉丁字母、空格和 - ' . ,")
        }
        let visitPurpose = p.code(visitPurpose, "visitPurpose", "来华目的", table: "来华目的", tables: tables, required: foreign)

        if foreign {
            if type == .residentID { p.add("certificateType", "境外人员不能使用居民身份证，请选择护照、外国人永久居留身份证或港澳台居民证件") }
            if ethnicity != nil { p.add("ethnicity", "境外人员不填民族") }
        }
        if let kind, !floating {
            for (raw, field, label) in [(self.inflowReason, "inflowReason", "流入原因"), (self.permitType, "permitType", "办证类型"),
                                        (self.permitNumber, "permitNumber", "办证号码"), (self.permitExpiry, "permitExpiry", "办证有效期至")]
            where Lenient.present(raw) != nil {
                p.add(field, "\(label)仅流动人口填写，此人为\(kind.label)")
            }
        }
        if let kind, !foreign {
            for (raw, field, label) in [(self.nationality, "nationality", "国籍"), (self.foreignName, "foreignName", "外文姓名"),
                                        (self.visitPurpose, "visitPurpose", "来华目的")]
            where Lenient.present(raw) != nil {
                p.add(field, "\(label)仅境外人员填写，此人为\(kind.label)")
            }
        }
        return p.result {
            Person(name: name!, certificateType: type!, certificateNumber: number!, sex: personSex!, birthDate: birth,
                   ethnicity: ethnicity, phone: phone, registeredDivision: division, registeredAddress: registeredAddress,
                   currentAddress: currentAddress, grid: grid!, kind: kind!, inflowReason: inflowReason, permitType: permitType,
                   permitNumber: permitNumber, permitExpiry: permitExpiry, nationality: nationality, foreignName: foreignName,
                   visitPurpose: visitPurpose)
        }
    }
}
