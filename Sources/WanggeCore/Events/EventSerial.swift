/// The number printed on an event and given to a citizen to follow it (事件编号):
/// 6-digit county code + local date `yyyyMMdd` (UTC+8) + 5-digit sequence of that county and
/// day, 19 digits, e.g. `5203992026112200001`. Readable on the phone ("which county, which day,
/// which one"), and it sorts by county and date as text.
public enum EventSerial {
    /// The serial for the `sequence`-th event (from 1) of `county` on the local date of `at`.
    /// The county and sequence come from our own code (a `GridCode.countyCode` and a counter),
    /// so a wrong one is a programming error.
    public static func make(county: String, at: Int64, sequence: Int) -> String {
        precondition(county.utf8.count == 6 && county.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }, "县级区划代码须为6位数字")
        precondition((1...99_999).contains(sequence), "事件序号须在1–99999之间")
        let day = Day(localDateOf: at)
        let date = String(day.description.filter { $0 != "-" })
        let seq = String(sequence)
        return county + date + String(repeating: "0", count: 5 - seq.count) + seq
    }

    /// The parts of a serial, or `nil` when `text` is not one (wrong length, not digits, an
    /// impossible date, sequence 00000).
    public static func parse(_ text: String) -> (county: String, day: Day, sequence: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        guard let day = try? Day(year: number(6..<10), month: number(10..<12), day: number(12..<14)) else { return nil }
        let sequence = number(14..<19)
        guard sequence > 0 else { return nil }
        return (String(decoding: bytes[0..<6], as: UTF8.self), day, sequence)
    }
}
