/// Which size norm a grid is held to.
public enum NormClass: String, Codable, Sendable {
    case urban
    case rural
}

/// The size norms of a county: how many households or people one grid should cover
/// (urban 300 households or 1000 people, rural 200 households or 500 people by default).
public struct SizeNorms: Hashable, Codable, Sendable {
    public var urbanHouseholds: Int
    public var urbanPopulation: Int
    public var ruralHouseholds: Int
    public var ruralPopulation: Int

    public init(urbanHouseholds: Int = 300, urbanPopulation: Int = 1000, ruralHouseholds: Int = 200, ruralPopulation: Int = 500) {
        self.urbanHouseholds = urbanHouseholds
        self.urbanPopulation = urbanPopulation
        self.ruralHouseholds = ruralHouseholds
        self.ruralPopulation = ruralPopulation
    }

    public static let standard = SizeNorms()

    public func validate() throws(ValidationError) {
        for (field, value) in [
            ("urbanHouseholds", urbanHouseholds), ("urbanPopulation", urbanPopulation),
            ("ruralHouseholds", ruralHouseholds), ("ruralPopulation", ruralPopulation),
        ] where value <= 0 {
            throw ValidationError(field: field, "规模标准必须是正整数")
        }
    }

    /// Why a unit grid is outside the norm, or `nil` when it is within it.
    ///
    /// The seeds state the norm as "300 households or about 1000 people": a grid is within the
    /// norm while it stays at or under either figure, and outside once it exceeds both.
    public func violation(of grid: Grid) -> NormViolation? {
        guard grid.level == .grid, let normClass = grid.type.normClass else { return nil }
        let (maxH, maxP) = normClass == .urban ? (urbanHouseholds, urbanPopulation) : (ruralHouseholds, ruralPopulation)
        guard grid.households > maxH, grid.population > maxP else { return nil }
        return NormViolation(normClass: normClass, households: grid.households, population: grid.population,
                             maxHouseholds: maxH, maxPopulation: maxP)
    }
}

public struct NormViolation: Hashable, Codable, Sendable {
    public var normClass: NormClass
    public var households: Int
    public var population: Int
    public var maxHouseholds: Int
    public var maxPopulation: Int

    public var message: String {
        let kind = normClass == .urban ? "城市" : "农村"
        return "\(households)户/\(population)人，超过\(kind)网格标准\(maxHouseholds)户或\(maxPopulation)人"
    }
}
