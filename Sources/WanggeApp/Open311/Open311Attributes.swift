import Foundation
import WanggeCore

/// A question a client asks the citizen for one kind of service (GeoReport's attribute).
struct Open311Attribute: Sendable {
    enum Datatype: String, Sendable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }

    var code: String
    var datatype: Datatype
    var required: Bool
    /// The question, as shown to the citizen.
    var description: String
    var datatypeDescription: String?
    /// Keys and names of the choices of a list.
    var values: [(key: String, name: String)] = []

    /// The values given for this attribute, checked: nil when none was given, a 400 when one
    /// does not fit the datatype or is not one of the choices.
    func check(_ given: [String]?) throws -> [String]? {
        guard let given, !given.isEmpty else {
            if required { throw AppError.badRequest("缺少必填属性 attribute[\(code)]（\(description)）", field: "attribute[\(code)]") }
            return nil
        }
        switch datatype {
        case .singlevaluelist, .multivaluelist:
            if datatype == .singlevaluelist, given.count > 1 {
                throw AppError.badRequest("属性 attribute[\(code)] 只能选一项", field: "attribute[\(code)]")
            }
            for v in given where !values.contains(where: { $0.key == v }) {
                let keys = values.map(\.key).joined(separator: "、")
                throw AppError.badRequest("属性 attribute[\(code)] 的取值“\(v)”无效，可选：\(keys)", field: "attribute[\(code)]")
            }
        case .number:
            guard given.count == 1, let n = Double(given[0]), n.isFinite, n >= 0 else {
                throw AppError.badRequest("属性 attribute[\(code)] 应为非负数", field: "attribute[\(code)]")
            }
        case .datetime:
            guard given.count == 1, Open311Time.parse(given[0]) != nil else {
                throw AppError.badRequest("属性 attribute[\(code)] 应为ISO 8601时间", field: "attribute[\(code)]")
            }
        case .string, .text:
            guard given.count == 1, given[0].count <= (datatype == .string ? 100 : 1000) else {
                throw AppError.badRequest("属性 attribute[\(code)] 过长", field: "attribute[\(code)]")
            }
        }
        return given
    }

    /// `是否影响通行：是`, to add to the event's description so that handlers read the answer.
    func summary(_ given: [String]) -> String {
        let shown = given.map { v in values.first { $0.key == v }?.name ?? v }
        return "\(description)：\(shown.joined(separator: "、"))"
    }

    /// The attribute as the service definition lists it; `order` counts from 1.
    func value(order: Int) -> Open311Value {
        .object([
            ("variable", .bool(true)), ("code", .text(code)), ("datatype", .text(datatype.rawValue)), ("required", .bool(required)),
            ("datatype_description", .text(datatypeDescription)), ("order", .int(Int64(order))), ("description", .text(description)),
            ("values", .list(item: "value", values.map { .object([("key", .text($0.key)), ("name", .text($0.name))]) })),
        ])
    }
}

/// Which attributes each catalog item asks for, derived from the catalog rather than written per
/// item: a rule applies by category name or by a word in the item's name, so an item an
/// administrator adds later gets sensible questions too. At most three per item, in rule order.
enum Open311Attributes {
    struct Rule: Sendable {
        var categories: Set<String> = []
        var nameWords: [String] = []
        var attribute: Open311Attribute

        func applies(to item: CatalogItem, categoryName: String?) -> Bool {
            if let categoryName, categories.contains(categoryName) { return true }
            return nameWords.contains { item.name.contains($0) }
        }
    }

    static let maxPerItem = 3

    static let rules: [Rule] = [
        Rule(nameWords: ["道路", "路面", "井盖", "塌陷", "积水", "积雪", "占道", "掘路", "遗撒", "路灯", "桥"],
             attribute: Open311Attribute(code: "TRAFFIC", datatype: .singlevaluelist, required: true, description: "是否影响通行",
                                         values: [("blocked", "影响车辆或行人通行"), ("partly", "部分影响"), ("no", "不影响")])),
        Rule(categories: ["突发事件", "安全生产"],
             attribute: Open311Attribute(code: "CASUALTY", datatype: .singlevaluelist, required: true,
                                         description: "现场是否有人受伤或被困",
                                         datatypeDescription: "有人受伤或被困请同时拨打120/119/110",
                                         values: [("yes", "有"), ("no", "没有"), ("unknown", "不清楚")])),
        Rule(nameWords: ["扰民", "噪声", "施工", "烧烤"],
             attribute: Open311Attribute(code: "PERIOD", datatype: .multivaluelist, required: false, description: "通常在哪些时段发生",
                                         values: [("morning", "早上(6–8时)"), ("day", "白天"), ("evening", "傍晚"),
                                                  ("night", "夜间(22时–次日6时)")])),
        Rule(categories: ["市容环境", "宣传广告", "街面秩序", "生态环保"],
             attribute: Open311Attribute(code: "SINCE", datatype: .singlevaluelist, required: false, description: "问题存在多久了",
                                         values: [("today", "今天发现"), ("days", "几天了"), ("weeks", "一周以上"),
                                                  ("recurring", "反复出现")])),
        Rule(categories: ["宣传广告"],
             attribute: Open311Attribute(code: "COUNT", datatype: .number, required: false, description: "大约有多少处",
                                         datatypeDescription: "整数，不清楚可不填")),
        Rule(categories: ["矛盾纠纷"],
             attribute: Open311Attribute(code: "PEOPLE", datatype: .number, required: false, description: "大约涉及多少人",
                                         datatypeDescription: "整数，不清楚可不填")),
    ]

    /// The attributes of `item`, numbered from 1 in the spec's `order`.
    static func attributes(of item: CatalogItem, in catalog: Catalog) -> [Open311Attribute] {
        let categoryName = catalog.category(item.categoryCode)?.name
        return Array(rules.filter { $0.applies(to: item, categoryName: categoryName) }.map(\.attribute).prefix(maxPerItem))
    }

    static func definition(of item: CatalogItem, in catalog: Catalog) -> Open311Value {
        let attributes = attributes(of: item, in: catalog).enumerated().map { i, a in a.value(order: i + 1) }
        return .object([("service_code", .text(item.code)), ("attributes", .list(item: "attribute", attributes))])
    }
}
