/// One rejected item of a bulk input (a GeoJSON feature, a CSV row): where it is, and why.
public struct FeatureError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Zero-based position of the item in the input.
    public var index: Int
    /// The item's code when it could be read.
    public var code: String?
    public var field: String?
    public var message: String

    public init(index: Int, code: String? = nil, field: String? = nil, message: String) {
        self.index = index
        self.code = code
        self.field = field
        self.message = message
    }

    public init(index: Int, code: String? = nil, _ error: ValidationError) {
        self.init(index: index, code: code, field: error.field, message: error.message)
    }

    public var description: String {
        var s = "第\(index)个要素"
        if let code { s += "(\(code))" }
        if let field { s += " \(field)" }
        return s + "：" + message
    }
}
