/// Reading the fields of an input into `Problems`: each reader files its problem under the
/// field's JSON key and names the field by its Chinese label, so that the message stands alone
/// in a form, an API answer or a spreadsheet error list.
extension Problems {
    /// Trimmed text of at most `max` characters; nil (and a problem if `required`) when empty.
    mutating func text(_ raw: String?, _ field: String, _ label: String, max: Int, required: Bool = false) -> String? {
        guard let text = Lenient.present(raw) else {
            if required { add(field, "请填写\(label)") }
            return nil
        }
        guard text.count <= max else {
            add(field, "\(label)不能超过\(max)个字，现有\(text.count)个")
            return nil
        }
        return text
    }

    /// A code of `table`, resolved from a code, a label or both.
    mutating func code(_ raw: String?, _ field: String, _ label: String, table name: String, tables: CodeTables,
                       required: Bool = false) -> String? {
        guard let text = Lenient.present(raw) else {
            if required { add(field, "请填写\(label)") }
            return nil
        }
        guard let table = tables[name] else {
            add(field, "代码表“\(name)”不存在")
            return nil
        }
        guard let code = table.resolve(text) else {
            add(field, "\(label)“\(text)”不在代码表“\(name)”中，\(table.choices())")
            return nil
        }
        return code
    }

    /// One of a fixed set of choices, by key, label or common name.
    mutating func choice<C: LabelledChoice>(_ raw: String?, _ field: String, _ label: String, default fallback: C? = nil) -> C? {
        guard let text = Lenient.present(raw) else {
            if fallback == nil { add(field, "请填写\(label)，可选：\(C.choices)") }
            return fallback
        }
        guard let value = C.lookup(text) else {
            add(field, "\(label)“\(text)”无效，可选：\(C.choices)")
            return nil
        }
        return value
    }

    /// A date as people type it.
    mutating func date(_ raw: String?, _ field: String, _ label: String, required: Bool = false) -> Day? {
        guard let text = Lenient.present(raw) else {
            if required { add(field, "请填写\(label)") }
            return nil
        }
        return check(field) { () throws(ValidationError) in
            do throws(ValidationError) {
                return try Day(lenient: text)
            } catch {
                throw ValidationError("\(label)：\(error.message)")
            }
        }
    }

    /// A whole number in `range`.
    mutating func integer(_ raw: String?, _ field: String, _ label: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let text = Lenient.present(raw) else {
            if required { add(field, "请填写\(label)") }
            return nil
        }
        return check(field) { () throws(ValidationError) in
            do throws(ValidationError) {
                return try Lenient.integer(text, in: range)
            } catch {
                throw ValidationError("\(label)\(error.message)")
            }
        }
    }

    /// A grid or community code: people and places belong to the bottom of the tree.
    mutating func grid(_ raw: String?, required: Bool) -> GridCode? {
        guard let text = Lenient.present(raw) else {
            if required { add("grid", "请填写所属网格编码(15位单元网格编码或12位村(社区)代码)") }
            return nil
        }
        guard let code = check("grid", { () throws(ValidationError) in try GridCode(Lenient.fold(text)) }) else { return nil }
        guard code.level == .grid || code.level == .community else {
            add("grid", "所属网格应为单元网格或村(社区)，“\(text)”是\(code.level.label)级编码")
            return nil
        }
        return code
    }

    /// A code of a building, a house or an organisation's premises: what door plates and
    /// spreadsheets carry, so plain characters only.
    mutating func plainCode(_ raw: String?, _ field: String, _ label: String, required: Bool) -> String? {
        guard let text = Lenient.present(raw).map(Lenient.fold) else {
            if required { add(field, "请填写\(label)") }
            return nil
        }
        guard (1...40).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            add(field, "\(label)应为1至40位字母、数字、“-”或“_”，收到“\(text)”")
            return nil
        }
        return text
    }
}
