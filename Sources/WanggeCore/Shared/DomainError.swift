/// A rule of the domain was broken by some input.
///
/// `field` names the offending input (a JSON field, a CSV column, a GeoJSON property) so that
/// every layer above can tell the user exactly what to fix.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String?
    public var message: String

    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
