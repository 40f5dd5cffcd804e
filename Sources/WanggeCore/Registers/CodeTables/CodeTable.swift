/// One code of a code table: the stored value and the label people read.
public struct CodeEntry: Hashable, Sendable, Codable {
    public var code: String
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// A code table (代码表) such as GB/T 31000's 流入原因: coded fields store the code, screens and
/// spreadsheets show the label.
public struct CodeTable: Sendable {
    public let name: String
    /// In the order of the standard, which is the order of dropdowns.
    public let entries: [CodeEntry]
    private let labels: [String: String]
    private let codesByLabel: [String: String]

    /// Entries must have distinct codes and labels (checked by `CodeTables` when loading).
    init(name: String, entries: [CodeEntry]) {
        self.name = name
        self.entries = entries
        labels = Dictionary(entries.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })
        codesByLabel = Dictionary(entries.map { (CodeTable.key($0.label), $0.code) }, uniquingKeysWith: { first, _ in first })
    }

    public func label(of code: String) -> String? { labels[code] }

    public func contains(_ code: String) -> Bool { labels[code] != nil }

    /// The code meant by a cell as people fill it in: the code itself, the label, both
    /// (`01=高`, `01 高`, `01-高`, `01：高`), full-width characters, or a code whose leading
    /// zeros a spreadsheet dropped (`1` for `01`). Nil when nothing matches or when code and
    /// label disagree (`01=低`): guessing which one was meant would store a wrong fact.
    public func resolve(_ cell: String) -> String? {
        let text = Lenient.fold(cell)
        guard !text.isEmpty else { return nil }
        if labels[text] != nil { return text }
        if let code = codesByLabel[CodeTable.key(text)] { return code }
        if let (code, label) = CodeTable.split(text), labels[code] != nil {
            return CodeTable.key(label) == CodeTable.key(labels[code] ?? "") ? code : nil
        }
        return unpadded(text)
    }

    /// `1` → `01`. Not for tables whose labels start with a digit (`01=0级`): there a bare
    /// number is more likely the label than a truncated code.
    private func unpadded(_ text: String) -> String? {
        guard Lenient.isDigits(text), !entries.contains(where: { $0.label.first?.isASCII == true && $0.label.first?.isNumber == true })
        else { return nil }
        let matches = Set(entries.map(\.code).filter { $0.count > text.count && $0.hasSuffix(text) && $0.dropLast(text.count).allSatisfy { $0 == "0" } })
        return matches.count == 1 ? matches.first : nil
    }

    /// `01=高` → (`01`, `高`): a run of code characters, separators, then a label.
    private static func split(_ text: String) -> (String, String)? {
        let code = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let rest = text[code.endIndex...]
        let label = rest.drop { " =-:、._".contains($0) }
        guard !code.isEmpty, label.startIndex > rest.startIndex, !label.isEmpty else { return nil }
        return (String(code), String(label))
    }

    /// Labels compared without spaces and with full-width brackets folded: `出国（境）` is `出国(境)`.
    static func key(_ label: some StringProtocol) -> String {
        let folded = Lenient.fold(label)
        return Lenient.mayHoldSpace(folded) ? folded.filter { !$0.isWhitespace } : folded
    }

    /// `01=管制、02=缓刑…` for messages, shortened for long tables.
    func choices(limit: Int = 12) -> String {
        guard entries.count <= limit else { return "见代码表“\(name)”" }
        return "可选：" + entries.map { "\($0.code)=\($0.label)" }.joined(separator: "、")
    }
}
