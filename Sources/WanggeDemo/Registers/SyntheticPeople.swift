import WanggeCore

extension DemoRegisters {
    /// `count` synthetic people spread evenly over `grids` in order, for benchmarks: the same
    /// kinds of values as the demo registers (valid unique resident ID numbers, names, births,
    /// phones, 12% floating people with 居住证) without houses, households or addresses.
    ///
    /// Their ID numbers use sequences 600–999, which the demo registers never use, so they can
    /// be loaded next to the demo county; two calls with different seeds may share numbers.
    public static func people(count: Int, in grids: [GridCode], seed: UInt64) -> [Person] {
        var out: [Person] = []
        out.reserveCapacity(count)
        for person in SyntheticPeople(count: count, in: grids, seed: seed) { out.append(person) }
        return out
    }
}

/// The people of `DemoRegisters.people(count:in:seed:)` one at a time, for a loader that
/// inserts in batches and need not hold a million people at once.
public struct SyntheticPeople: Sequence, IteratorProtocol {
    private let count: Int
    private let grids: [GridCode]
    private var produced = 0
    private var rng: SeededRandom
    private var ids: IDNumberAllocator
    /// The ID region index of each grid: its county's code.
    private let gridRegion: [Int]
    private let regionCodes: [String]
    /// Region indices below this are the grids' counties, from it on `RegisterNames.origins`.
    private let countyCount: Int
    /// Lookup tables of 1,024 entries, so that a draw is one random number and an index.
    private let ageTable: [Int]
    private let originTable: [Int]
    private let ethnicityTable: [String]
    private let phoneOffset: Int

    /// - Parameters:
    ///   - count: how many people the sequence yields.
    ///   - grids: where they live, in blocks of equal size in this order; must not be empty
    ///     when `count` is positive.
    public init(count: Int, in grids: [GridCode], seed: UInt64) {
        precondition(count <= 0 || !grids.isEmpty, "synthetic people need at least one grid")
        self.count = Swift.max(count, 0)
        self.grids = grids
        rng = SeededRandom(seed: seed ^ 0x5EED_0F_B0_0C)
        var counties: [String] = []
        var regionOf: [String: Int] = [:]
        for g in grids where regionOf[g.countyCode] == nil {
            regionOf[g.countyCode] = counties.count
            counties.append(g.countyCode)
        }
        gridRegion = grids.map { regionOf[$0.countyCode]! }
        regionCodes = counties + RegisterNames.origins.map { String($0.code) }
        countyCount = counties.count
        ids = IDNumberAllocator(regions: counties.map { Int($0) ?? 0 } + RegisterNames.origins.map(\.code),
                                sequences: 600...999)
        ageTable = Self.table(Self.ageWeights)
        originTable = Self.table(RegisterNames.originWeights)
        ethnicityTable = Self.table(RegisterNames.ethnicityWeights).map { RegisterNames.ethnicities[$0].code }
        var scramble = SeededRandom(seed: seed)
        phoneOffset = Int(scramble.next() % 100_000_000)
    }

    /// Per mille by 5-year age band (0–4 … 85–90), the shape of a county of western China:
    /// few young adults (gone to the cities), a bulge at 50–59, many old.
    private static let ageWeights = [55, 62, 66, 58, 50, 58, 68, 64, 66, 80, 92, 88, 72, 60, 45, 30, 20, 10]

    /// Spreads weighted choices over 1,024 slots; a band of ages is then spread over its years.
    private static func table(_ weights: [Int]) -> [Int] {
        let total = weights.reduce(0, +)
        var out: [Int] = []
        var acc = 0
        for (k, w) in weights.enumerated() {
            acc += w
            while out.count < acc * 1024 / total { out.append(k) }
        }
        while out.count < 1024 { out.append(weights.count - 1) }
        return out
    }

    public mutating func next() -> Person? {
        guard produced < count else { return nil }
        let i = produced
        produced += 1
        let g = i * grids.count / count
        let r = rng.next()
        let sex: Sex = r & 1 == 0 ? .male : .female
        let floating = (r >> 1) & 1023 < 123
        let band = ageTable[Int((r >> 11) & 1023)]
        let age = Swift.min(band * 5 + Int((r >> 21) & 0xFF) % 5, 90)
        var birth = Births.day(age: age, random: Int((r >> 29) & 0xFFFF))
        let region = floating ? countyCount + originTable[Int((r >> 45) & 1023)] : gridRegion[g]
        let number = ids.number(region: region, birth: &birth, sex: sex)

        let r2 = rng.next()
        let pool = sex == .male ? RegisterNames.maleGiven : RegisterNames.femaleGiven
        var name = Names.surnames[Int(r2 % UInt64(Names.surnames.count))] + pool[Int((r2 >> 8) % UInt64(pool.count))]
        if (r2 >> 16) & 7 < 5 { name += pool[Int((r2 >> 20) % UInt64(pool.count))] }
        var phone: String? = nil
        if Double((r2 >> 28) & 1023) < RegisterBuilder.phoneShare(age: age) * 1024 {
            // Multiplying by a number prime to 10 permutes the last eight digits, so no two share them.
            let prefix = RegisterNames.mobilePrefixes[Int((r2 >> 40) % UInt64(RegisterNames.mobilePrefixes.count))]
            phone = String(prefix * 100_000_000 + (i &* 38_461_547 &+ phoneOffset) % 100_000_000)
        }
        var person = Person(name: name, certificateNumber: number, sex: sex, birthDate: birth,
                            ethnicity: ethnicityTable[Int((r2 >> 50) & 1023)], phone: phone,
                            registeredDivision: regionCodes[region], grid: grids[g], kind: floating ? .floating : .registered)
        if floating {
            person.inflowReason = age < 16 ? "06" : "01"
            if age >= 16 {
                person.permitType = "01"
                person.permitNumber = "6" + pad(i, 15)
                person.permitExpiry = DemoRegisters.referenceDay.adding(days: rng.below(365))
            }
        }
        return person
    }
}
