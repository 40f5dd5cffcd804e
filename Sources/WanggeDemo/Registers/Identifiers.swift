import WanggeCore

/// Check characters of the national identifier standards, written out here so that the demo
/// does not wait on the core's validators (`IDNumber.checkCharacter` in WanggeCore will
/// replace `residentIDCheck` once it lands).
enum Check {
    private static let idWeights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let idChecks: [UInt8] = Array("10X98765432".utf8)

    /// GB 11643: the 18th character of a resident ID number from its first 17 ASCII digits.
    static func residentIDCheck(_ digits: UnsafeMutableBufferPointer<UInt8>) -> UInt8 {
        var sum = 0
        var k = 0
        while k < 17 {
            sum += Int(digits[k] &- 48) * idWeights[k]
            k += 1
        }
        return idChecks[sum % 11]
    }

    /// GB 32100 (统一社会信用代码) uses 31 characters: no I, O, Z, S or V, which read like digits.
    static let creditCharset: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    private static let creditWeights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The 18th character of a credit code from its first 17 (all from `creditCharset`).
    static func creditCheck(_ first17: [UInt8]) -> UInt8 {
        var sum = 0
        for (k, c) in first17.enumerated() {
            sum += creditCharset.firstIndex(of: c)! * creditWeights[k]
        }
        let v = 31 - sum % 31
        return creditCharset[v == 31 ? 0 : v]
    }

    private static let orgWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    /// GB 11714 (组织机构代码): the 9th character from the first 8 (digits and capitals), so the
    /// 主体标识码 inside a credit code is itself well formed.
    static func organisationCodeCheck(_ first8: [UInt8]) -> UInt8 {
        var sum = 0
        for (k, c) in first8.enumerated() {
            let value = c <= 57 ? Int(c) - 48 : Int(c) - 55  // A = 10 … Z = 35
            sum += value * orgWeights[k]
        }
        let v = 11 - sum % 11
        return v == 10 ? UInt8(ascii: "X") : v == 11 ? UInt8(ascii: "0") : UInt8(48 + v)
    }
}

/// Writes `value` as exactly `width` decimal digits at `at`.
@inline(__always)
func writeDigits(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) {
    var v = value
    var k = at + width - 1
    while k >= at {
        buffer[k] = UInt8(truncatingIfNeeded: 48 + v % 10)
        v /= 10
        k -= 1
    }
}

/// Births by age on the reference day (2026-01-01): someone aged `a` was born in 2025 − a, so
/// that the age drawn is exactly the age a test computes back from the birth date.
enum Births {
    /// Days since 1970 of 1 January of 1935 … 2026.
    private static let yearStarts: [Int] = {
        var out = [IDNumberAllocator.firstDay.daysSinceEpoch]
        for y in 1935..<2026 {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
            out.append(out[out.count - 1] + (leap ? 366 : 365))
        }
        return out
    }()

    /// A day of the year 2025 − `age` (0…90), picked by `random`.
    static func day(age: Int, random: Int) -> Day {
        let k = 90 - Swift.min(Swift.max(age, 0), 90)
        let start = yearStarts[k]
        return Day(daysSinceEpoch: start + random % (yearStarts[k + 1] - start))
    }
}

/// Hands out GB 11643 numbers that are unique by construction.
///
/// Every (region, birth date, sex) is a slot with its own counter, and the k-th number of a
/// slot takes the k-th sequence of a fixed permutation of the sequences of that sex in
/// `sequences`, so that numbers look scattered (as a police station's would) and never repeat.
/// The demo registers use sequences 001–599 and the benchmark's synthetic people 600–999, so
/// that the two can share one database. A full slot moves the birth to a neighbouring day.
struct IDNumberAllocator {
    /// The births the allocator covers, 1935-01-01 to 2025-12-31.
    static let firstDay = Day(daysSinceEpoch: -12_784)
    static let lastDay = Day(daysSinceEpoch: 20_453)
    private static let dayCount = 20_453 + 12_784 + 1

    let regions: [Int]
    /// For female (even) and male (odd) sequences: the first, how many, and the step.
    private let runs: [(first: Int, count: Int, step: Int)]
    private var counters: [UInt16]

    init(regions: [Int], sequences: ClosedRange<Int>) {
        precondition(sequences.lowerBound >= 1 && sequences.upperBound <= 999)
        self.regions = regions
        runs = [false, true].map { odd in
            let (low, high) = (sequences.lowerBound, sequences.upperBound)
            let first = (low % 2 == 1) == odd ? low : low + 1
            let count = first > high ? 0 : (high - first) / 2 + 1
            return (first, count, Self.step(for: count))
        }
        counters = Array(repeating: 0, count: regions.count * Self.dayCount * 2)
    }

    /// A step coprime with `count`, so that stepping visits every sequence once.
    private static func step(for count: Int) -> Int {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        return [7, 11, 13, 17, 19].first { gcd($0, count) == 1 } ?? 1
    }

    /// A fresh number for someone born on `birth` in region `regionIndex`; `birth` moves to a
    /// neighbouring day if its slot is full and comes back as the date the number carries.
    mutating func number(region regionIndex: Int, birth: inout Day, sex: Sex) -> String {
        let (first, count, step) = runs[sex == .male ? 1 : 0]
        let base = birth.daysSinceEpoch - Self.firstDay.daysSinceEpoch
        var offset = 0
        while true {
            let day = base + offset
            if day >= 0, day < Self.dayCount {
                let slot = ((regionIndex * Self.dayCount) + day) * 2 + (sex == .male ? 1 : 0)
                let k = Int(counters[slot])
                if k < count {
                    counters[slot] += 1
                    let start = Int(UInt64(truncatingIfNeeded: slot &* 0x9E37_79B9) % UInt64(count))
                    let sequence = first + 2 * ((start + k * step) % count)
                    if offset != 0 { birth = Day(daysSinceEpoch: Self.firstDay.daysSinceEpoch + day) }
                    return Self.format(region: regions[regionIndex], birth: birth, sequence: sequence)
                }
            }
            // 0, +1, −1, +2, −2 … keeps the moved birth as close as possible.
            offset = offset > 0 ? -offset : -offset + 1
            precondition(offset < Self.dayCount, "no free resident ID number left")
        }
    }

    static func format(region: Int, birth: Day, sequence: Int) -> String {
        String(unsafeUninitializedCapacity: 18) { buffer in
            writeDigits(region, width: 6, into: buffer, at: 0)
            writeDigits(birth.year, width: 4, into: buffer, at: 6)
            writeDigits(birth.month, width: 2, into: buffer, at: 10)
            writeDigits(birth.day, width: 2, into: buffer, at: 12)
            writeDigits(sequence, width: 3, into: buffer, at: 14)
            buffer[17] = Check.residentIDCheck(buffer)
            return 18
        }
    }
}

/// Builds valid 统一社会信用代码: the registering authority and kind (e.g. `91`), the 6-digit
/// division, a 9-character 主体标识码 with its GB 11714 check, and the GB 32100 check.
struct CreditCodeMaker {
    private var used: Set<String> = []
    /// Letters of a 主体标识码 must also be legal in the credit code around it.
    private static let bodyCharset: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    mutating func make(prefix: String, division: String, rng: inout SeededRandom) -> String {
        while true {
            var chars = Array(prefix.utf8) + Array(division.utf8)
            // Codes issued since 2015 start their 主体标识码 with MA; older ones are all digits.
            let issuedSince2015 = rng.chance(0.6)
            var body: [UInt8] = issuedSince2015 ? Array("MA".utf8) : []
            while body.count < 8 {
                body.append(issuedSince2015 ? Self.bodyCharset[rng.below(Self.bodyCharset.count)] : UInt8(48 + rng.below(10)))
            }
            body.append(Check.organisationCodeCheck(body))
            chars += body
            chars.append(Check.creditCheck(chars))
            let code = String(decoding: chars, as: UTF8.self)
            if used.insert(code).inserted { return code }
        }
    }
}
