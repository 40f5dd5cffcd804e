/// A register as a spreadsheet: its columns for templates and imports, the mapping of an
/// uploaded header onto them, and the reading of its rows (`parse`).
public struct RegisterSheet: Sendable {
    public let kind: RegisterSheetKind
    /// e.g. `实有人口`, `社区矫正`.
    public let title: String
    /// In template order.
    public let columns: [SheetColumn]
    /// The kinds the sheet was made with: its rows are validated against the same ones.
    let roles: PopulationRoleKinds

    /// The sheet of a register; nil for a role kind that does not exist.
    public static func of(_ kind: RegisterSheetKind, roles: PopulationRoleKinds = .standard) -> RegisterSheet? {
        let columns: [SheetColumn]
        let title: String
        switch kind {
        case .buildings: (title, columns) = ("楼栋", buildingColumns)
        case .houses: (title, columns) = ("房屋", houseColumns)
        case .people: (title, columns) = ("实有人口", personColumns)
        case .residences: (title, columns) = ("人房关系", residenceColumns)
        case .organisations: (title, columns) = ("非公有制经济组织和社会组织", organisationColumns)
        case .components: (title, columns) = ("城市部件", componentColumns)
        case .roles(let key):
            guard let role = roles[key] else { return nil }
            (title, columns) = (role.label, roleColumns(role))
        }
        return RegisterSheet(kind: kind, title: title, columns: columns, roles: roles)
    }

    /// Every sheet: the registers, then one per role kind.
    public static func all(roles: PopulationRoleKinds = .standard) -> [RegisterSheet] {
        let kinds: [RegisterSheetKind] = [.buildings, .houses, .people, .residences, .organisations, .components]
        return (kinds + roles.all.map { .roles($0.key) }).compactMap { of($0, roles: roles) }
    }

    /// The template's header row, required columns marked `*`.
    public var templateHeader: [String] { columns.map(\.templateHeader) }

    /// Finds the columns in an uploaded header (row 1). Cells are compared without spaces,
    /// full-width forms and `*` markers; known aliases count. A missing required column and a
    /// column given twice are errors; unknown columns are listed in `ignored`.
    public func map(header: [String]) -> Result<ColumnMap, RowErrors> {
        var positions: [String: Int] = [:], written: [String: String] = [:]
        var ignored: [String] = [], errors: [RowError] = []
        for (index, cell) in header.enumerated() {
            let name = SheetColumn.normalise(cell)
            if name.isEmpty { continue }
            guard let column = columns.first(where: { $0.matches(name) }) else {
                ignored.append(String(cell.trimmed))
                continue
            }
            if let first = written[column.field] {
                let same = first == name ? "“\(first)”出现了两次" : "“\(first)”与“\(name)”是同一列"
                errors.append(RowError(row: 1, column: column.header, "列重复：\(same)"))
            } else {
                positions[column.field] = index
                written[column.field] = name
            }
        }
        for column in columns where column.required && positions[column.field] == nil {
            let also = column.aliases.isEmpty ? "" : "(也可写作" + column.aliases.joined(separator: "、") + ")"
            errors.append(RowError(row: 1, column: column.header, "缺少必填列“\(column.header)”\(also)"))
        }
        return errors.isEmpty ? .success(ColumnMap(positions: positions, ignored: ignored)) : .failure(RowErrors(errors))
    }
}

extension RegisterSheet {
    static let certificateAliases = ["身份证号", "身份证号码", "公民身份号码", "证件号"]
    static let gridNote = "15位单元网格编码或12位村(社区)代码"
    static let dateNote = "如 2026-01-05，也可写 2026/1/5"

    static func grid(required: Bool) -> SheetColumn {
        SheetColumn(header: "网格编码", field: "grid", required: required, example: "520102001001001",
                    note: required ? gridNote : gridNote + "；不填则按经纬度定位", aliases: ["所属网格", "网格代码"])
    }

    static let position = [
        SheetColumn(header: "经度", field: "lon", example: "106.71348", note: "十进制度，与纬度同时填写"),
        SheetColumn(header: "纬度", field: "lat", example: "26.57832", note: "十进制度，与经度同时填写"),
    ]

    static let buildingColumns = [
        SheetColumn(header: "楼栋编码", field: "code", required: true, example: "LD-0001", note: "县内唯一，1至40位字母、数字、-或_"),
        SheetColumn(header: "楼栋名称", field: "name", required: true, example: "幸福小区1号楼", aliases: ["名称"]),
        SheetColumn(header: "地址", field: "address", required: true, example: "城关镇幸福路1号", aliases: ["楼栋地址"]),
        grid(required: false),
        SheetColumn(header: "建筑用途", field: "use", required: true, table: "建筑用途", example: "住宅", note: "填写代码或名称"),
        SheetColumn(header: "层数", field: "floors", example: "18", note: "地上层数"),
        SheetColumn(header: "单元数", field: "units", example: "2"),
    ] + position

    static let houseColumns = [
        SheetColumn(header: "房屋编码", field: "code", example: "LD-0001-1-302", note: "门牌二维码上的编码；不填则自动生成"),
        SheetColumn(header: "楼栋编码", field: "buildingCode", required: true, example: "LD-0001"),
        SheetColumn(header: "单元", field: "unit", example: "1"),
        SheetColumn(header: "楼层", field: "floor", example: "3", note: "地下层填负数"),
        SheetColumn(header: "房号", field: "room", required: true, example: "302", aliases: ["室号", "门牌号"]),
        SheetColumn(header: "房屋用途", field: "use", table: "建筑用途", example: "住宅", note: "不填则同楼栋"),
        SheetColumn(header: "出租用途", field: "rentalUse", table: "出租用途", example: "住房", note: "出租房屋填写；自住或空置留空"),
        SheetColumn(header: "面积(平方米)", field: "area", example: "89.5", aliases: ["面积", "建筑面积"]),
    ]

    static let personColumns = [
        SheetColumn(header: "姓名", field: "name", required: true, example: "张三"),
        SheetColumn(header: "证件类型", field: "certificateType", example: "居民身份证", note: "不填为居民身份证"),
        SheetColumn(header: "证件号码", field: "certificateNumber", required: true, example: "11010519491231002X",
                    aliases: certificateAliases),
        SheetColumn(header: "性别", field: "sex", example: "女", note: "居民身份证可不填，由证件号码得出"),
        SheetColumn(header: "出生日期", field: "birthDate", example: "1949-12-31", note: "居民身份证可不填；" + dateNote),
        SheetColumn(header: "民族", field: "ethnicity", table: "民族", example: "汉族"),
        SheetColumn(header: "联系电话", field: "phone", example: "13800138000", aliases: ["电话", "手机号码", "手机"]),
        SheetColumn(header: "户籍地区划代码", field: "registeredDivision", example: "110105", note: "6、9或12位"),
        SheetColumn(header: "户籍地址", field: "registeredAddress", example: "北京市朝阳区某街道1号", aliases: ["户籍地详址"]),
        SheetColumn(header: "现住址", field: "currentAddress", example: "城关镇幸福路1号1单元302", aliases: ["现住地址"]),
        grid(required: true),
        SheetColumn(header: "人员类别", field: "kind", required: true, example: "户籍人口", note: "户籍人口、流动人口或境外人员",
                    aliases: ["人口类别", "人口类型"]),
        SheetColumn(header: "流入原因", field: "inflowReason", table: "流入原因", note: "流动人口必填，如 务工"),
        SheetColumn(header: "办证类型", field: "permitType", table: "办证类型", note: "流动人口填写，如 居住证"),
        SheetColumn(header: "办证号码", field: "permitNumber", note: "流动人口填写"),
        SheetColumn(header: "办证有效期至", field: "permitExpiry", note: "流动人口填写；" + dateNote),
        SheetColumn(header: "国籍", field: "nationality", note: "境外人员必填，三位字母代码，如 USA", aliases: ["国籍(地区)"]),
        SheetColumn(header: "外文姓名", field: "foreignName", note: "境外人员填写", aliases: ["英文姓名"]),
        SheetColumn(header: "来华目的", field: "visitPurpose", table: "来华目的", note: "境外人员必填，如 就业"),
        SheetColumn(header: "房屋编码", field: "houseCode", example: "LD-0001-1-302", note: "填写则同时登记人房关系"),
        SheetColumn(header: "居住关系", field: "residenceRole", example: "居住人", note: "产权人、承租人、居住人或户在人不在；不填为居住人"),
        SheetColumn(header: "入住日期", field: "movedIn", note: dateNote),
    ]

    static let residenceColumns = [
        SheetColumn(header: "证件号码", field: "certificateNumber", required: true, example: "11010519491231002X",
                    aliases: certificateAliases),
        SheetColumn(header: "房屋编码", field: "houseCode", required: true, example: "LD-0001-1-302"),
        SheetColumn(header: "居住关系", field: "role", example: "居住人", note: "产权人、承租人、居住人或户在人不在；不填为居住人"),
        SheetColumn(header: "入住日期", field: "movedIn", note: dateNote),
        SheetColumn(header: "迁出日期", field: "movedOut", note: "仍居住则留空"),
    ]

    static let organisationColumns = [
        SheetColumn(header: "组织类别", field: "kind", required: true, example: "非公有制经济组织", note: "非公有制经济组织或社会组织"),
        SheetColumn(header: "组织名称", field: "name", required: true, example: "某某商贸有限公司", aliases: ["名称", "单位名称"]),
        SheetColumn(header: "统一社会信用代码", field: "creditCode", required: true, example: "91350100M000100Y43", aliases: ["信用代码"]),
        SheetColumn(header: "企业类别", field: "enterpriseCategory", table: "企业类别", example: "内资企业", note: "非公有制经济组织必填"),
        SheetColumn(header: "登记注册类型", field: "registrationType", table: "登记注册类型", example: "私营", note: "非公有制经济组织必填"),
        SheetColumn(header: "控股情况", field: "holding", table: "控股情况", example: "私人控股"),
        SheetColumn(header: "社会组织类型", field: "socialType", table: "社会组织类型", note: "社会组织必填"),
        SheetColumn(header: "法定代表人", field: "legalRepresentative", required: true, example: "李四", aliases: ["法人代表", "负责人"]),
        SheetColumn(header: "联系电话", field: "phone", example: "0851-86812345", aliases: ["电话"]),
        SheetColumn(header: "地址", field: "address", required: true, example: "城关镇幸福路8号", aliases: ["经营地址", "住所"]),
        grid(required: false),
        SheetColumn(header: "从业人员数", field: "employees", example: "25", aliases: ["员工人数"]),
    ] + position

    static let componentColumns = [
        SheetColumn(header: "部件编码", field: "code", required: true, example: "5201020101000001", note: "16位：6位区县+2位大类+2位小类+6位序号"),
        SheetColumn(header: "部件状态", field: "state", example: "完好", note: "完好、破损、丢失、占用或废弃；不填为完好"),
        SheetColumn(header: "权属单位", field: "owner", example: "县供水公司", aliases: ["养护单位"]),
        SheetColumn(header: "经度", field: "lon", required: true, example: "106.71348", note: "十进制度"),
        SheetColumn(header: "纬度", field: "lat", required: true, example: "26.57832", note: "十进制度"),
        grid(required: false),
    ]

    static func roleColumns(_ kind: PopulationRoleKind) -> [SheetColumn] {
        let attention = CodeTables.standardLabel("关注程度", kind.defaultAttention)
        let fixed = [
            SheetColumn(header: "证件号码", field: "certificateNumber", required: true, example: "11010519491231002X",
                        aliases: certificateAliases),
            SheetColumn(header: "姓名", field: "name", example: "张三", note: "用于核对证件号码"),
            SheetColumn(header: "关注程度", field: "attention", table: "关注程度", note: "高、中或低；不填为\(attention)"),
            SheetColumn(header: "走访周期(天)", field: "visitEveryDays", note: "不填为\(kind.defaultVisitEveryDays)天", aliases: ["走访周期"]),
            SheetColumn(header: "开始日期", field: "since", note: "列入\(kind.label)的日期；" + dateNote),
            SheetColumn(header: "结束日期", field: "until", note: "解除或退出的日期；仍在册则留空"),
        ]
        return fixed + kind.fields.map { field in
            SheetColumn(header: field.label, field: "fields." + field.key, required: field.required, table: field.type.table,
                        example: example(of: field.type), note: field.type.label)
        }
    }

    private static func example(of type: RoleFieldType) -> String {
        switch type {
        case .code(let table), .codes(let table): CodeTables.standard[table]?.entries.first?.label ?? ""
        case .date: "2026-01-05"
        case .bool: "是"
        case .number: "1"
        case .text: ""
        }
    }
}

extension CodeTables {
    /// The label of a code in the shipped tables, or the code itself.
    static func standardLabel(_ table: String, _ code: String) -> String {
        standard[table]?.label(of: code) ?? code
    }
}
