/// What people type into forms and spreadsheets, read leniently: a Chinese input method gives
/// full-width digits and punctuation, spreadsheets turn codes into numbers and add `.0`.
enum Lenient {
    /// Full-width ASCII folded to ASCII, the ideographic space to a space, then trimmed.
    static func fold(_ text: some StringProtocol) -> String {
        // Full-width forms (U+FF01–FF5E) are encoded from 0xEF, the ideographic space from 0xE3.
        if !text.utf8.contains(where: { $0 == 0xEF || $0 == 0xE3 }) { return String(text.trimmed) }
        var scalars = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(u.value - 0xFEE0) ?? u)
            case 0x3000: scalars.append(" ")
            default: scalars.append(u)
            }
        }
        return String(String(scalars).trimmed)
    }

    /// The trimmed text, or nil when there is none: an empty cell means "not given".
    static func present(_ text: String?) -> String? {
        guard let text else { return nil }
        let t = text.trimmed
        if t.isEmpty { return nil }
        return t.endIndex == text.endIndex && t.startIndex == text.startIndex ? text : String(t)
    }

    /// False when the text certainly has no whitespace: Unicode's White_Space characters are
    /// ASCII controls and space, or encoded from 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2
    /// (U+2000–U+205F) or 0xE3 (U+3000). Lets the common case skip per-Character property lookups.
    static func mayHoldSpace(_ text: some StringProtocol) -> Bool {
        text.utf8.contains { $0 <= 0x20 || $0 == 0xC2 || (0xE1...0xE3).contains($0) }
    }

    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// A whole number; `12.0` is accepted because spreadsheets write integers that way.
    static func integer(_ raw: String, in range: ClosedRange<Int>) throws(ValidationError) -> Int {
        var text = fold(raw)
        if let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) {
            text = String(text[..<dot])
        }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard isDigits(digits), digits.count <= 9, let value = Int(text) else {
            throw ValidationError("应为整数，收到“\(raw)”")
        }
        guard range.contains(value) else {
            throw ValidationError("应在\(range.lowerBound)至\(range.upperBound)之间，收到\(value)")
        }
        return value
    }

    /// A plain decimal number (no exponent, no NaN), as a spreadsheet or a form writes it.
    static func decimal(_ raw: String) -> Double? {
        let text = fold(raw)
        let body = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), isDigits(parts[0]), parts.count == 1 || isDigits(parts[1]) else { return nil }
        return Double(text)
    }

    /// A non-negative decimal written canonically (`2019.0` → `2019`, `007` → `7`), so that
    /// stored values compare as text.
    static func canonicalNumber(_ raw: String) -> String? {
        let text = fold(raw)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), isDigits(parts[0]), parts.count == 1 || isDigits(parts[1]) else { return nil }
        var whole = parts[0].drop { $0 == "0" }
        if whole.isEmpty { whole = "0" }
        var fraction = parts.count == 2 ? parts[1][...] : ""
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    /// 是/否 and their usual spellings.
    static func bool(_ raw: String) -> Bool? {
        switch fold(raw).lowercased() {
        case "是", "true", "1", "y", "yes", "有", "√": true
        case "否", "false", "0", "n", "no", "无", "×": false
        default: nil
        }
    }

    /// Longitude and latitude together, inside China's rough bounds: catches swapped columns and
    /// positions left at 0,0 by a phone without a fix.
    static func position(lon rawLon: String?, lat rawLat: String?, required: Bool, problems: inout Problems) -> (lon: Double, lat: Double)? {
        let lonText = present(rawLon), latText = present(rawLat)
        guard lonText != nil || latText != nil else {
            if required { problems.add("lon", "请填写经度和纬度") }
            return nil
        }
        guard let lonText, let latText else {
            problems.add(lonText == nil ? "lon" : "lat", "经度和纬度须同时填写")
            return nil
        }
        var lon = decimal(lonText), lat = decimal(latText)
        if lon == nil { problems.add("lon", "经度应为数字，收到“\(lonText)”") }
        if lat == nil { problems.add("lat", "纬度应为数字，收到“\(latText)”") }
        if let l = lon, !(73...136).contains(l) {
            problems.add("lon", "经度\(lonText)不在中国境内(东经73°至136°)")
            lon = nil
        }
        if let l = lat, !(3...54).contains(l) {
            problems.add("lat", "纬度\(latText)不在中国境内(北纬3°至54°)")
            lat = nil
        }
        guard let lon, let lat else { return nil }
        return (lon, lat)
    }
}

extension Day {
    /// A date as people type it: `2026-01-05`, `2026-1-5`, `2026/1/5`, `2026.1.5`, `20260105`,
    /// `2026年1月5日`; a time of day after it (`2026-01-05 00:00:00`, as spreadsheets export
    /// date cells) is ignored.
    public init(lenient raw: String) throws(ValidationError) {
        var text = Lenient.fold(raw)
        // `2026-01-05`, as exports and our own templates write dates, read without string surgery.
        let bytes = Array(text.utf8)
        if bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") {
            func decimal(_ range: Range<Int>) -> Int? {
                var value = 0
                for b in bytes[range] {
                    guard b >= 48 && b <= 57 else { return nil }
                    value = value * 10 + Int(b - 48)
                }
                return value
            }
            if let y = decimal(0..<4), let m = decimal(5..<7), let d = decimal(8..<10) {
                try self.init(year: y, month: m, day: d)
                return
            }
        }
        if let cut = text.firstIndex(where: { $0 == " " || $0 == "T" }) { text = String(text[..<cut]) }
        if text.hasSuffix("日") { text.removeLast() }
        text = String(text.map { "年月/.".contains($0) ? "-" : $0 })
        if text.utf8.count == 8, Lenient.isDigits(text) {
            text = "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))"
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts.allSatisfy({ Lenient.isDigits($0) && $0.utf8.count <= 4 }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw ValidationError(field: "date", "日期“\(raw)”无法识别，请写作 2026-01-05") }
        try self.init(year: y, month: m, day: d)
    }
}
