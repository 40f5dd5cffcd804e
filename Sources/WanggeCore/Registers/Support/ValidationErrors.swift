/// Every problem found in one input, so that a form or a spreadsheet row is fixed in one go
/// rather than one complaint at a time.
public struct ValidationErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var items: [ValidationError]

    public init(_ items: [ValidationError]) { self.items = items }

    /// The problems of one field, e.g. to show them next to it in a form.
    public func messages(for field: String) -> [String] {
        items.filter { $0.field == field }.map(\.message)
    }

    /// One problem a line, `field: message`.
    public var description: String { items.map(\.description).joined(separator: "\n") }
}

// Hashable so that lists of problems can be compared and deduplicated; declared here because
// the validators of the registers are what collect them in sets and lists.
extension ValidationError: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(field)
        hasher.combine(message)
    }
}

/// Collects the problems of one validation, each filed under the input field it concerns.
struct Problems {
    private(set) var items: [ValidationError] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: String?, _ message: String) {
        items.append(ValidationError(field: field, message))
    }

    mutating func add(contentsOf errors: ValidationErrors, prefix: String = "") {
        items += errors.items.map { ValidationError(field: $0.field.map { prefix + $0 }, $0.message) }
    }

    /// Runs a validator and files its error under `field`, whatever field the validator named:
    /// the caller knows which input the value came from, the validator does not.
    mutating func check<T>(_ field: String, _ body: () throws(ValidationError) -> T) -> T? {
        do throws(ValidationError) {
            return try body()
        } catch {
            items.append(ValidationError(field: field, error.message))
            return nil
        }
    }

    /// `.success(make())` when nothing was found; `make` runs only then, so it may force-unwrap
    /// the values whose checks passed.
    func result<T>(_ make: () -> T) -> Result<T, ValidationErrors> {
        items.isEmpty ? .success(make()) : .failure(ValidationErrors(items))
    }
}
