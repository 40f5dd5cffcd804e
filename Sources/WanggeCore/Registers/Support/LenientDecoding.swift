extension KeyedDecodingContainer {
    /// A field of an input as text, whether the client sent a string, a number or a boolean:
    /// the phone app sends positions and counts as JSON numbers, spreadsheets send everything
    /// as text, and both mean the same.
    func lenientString(_ key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        if let number = try? decode(Double.self, forKey: key) { return String(number) }
        if let flag = try? decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: codingPath + [key], debugDescription: "应为文字、数字或布尔值")
        )
    }
}

/// Any key of a JSON object, for maps whose keys are data (a role's fields).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// A JSON object of texts, numbers or booleans as `[String: String]`; empty when absent.
    func lenientMap(_ key: Key) throws -> [String: String] {
        guard contains(key), try !decodeNil(forKey: key) else { return [:] }
        let nested = try nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var map: [String: String] = [:]
        for inner in nested.allKeys {
            if let value = try nested.lenientString(inner) { map[inner.stringValue] = value }
        }
        return map
    }
}
