import WanggeCore

/// ISO 8601 datetimes for Open311, always written in China's zone (+08:00) so that a citizen's
/// client shows the local time, and read in any zone.
///
/// Done by hand with `Day` rather than with Foundation's formatters so the answer is the same on
/// every machine whatever its time-zone database (China has one zone and no daylight saving).
enum Open311Time {
    static let offset = Day.utcOffsetSeconds

    /// `2027-01-15T16:00:00+08:00`
    static func iso(_ instant: Int64) -> String {
        let (day, seconds) = local(instant)
        return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))+08:00"
    }

    /// `2027-01-15 16:00`, for notes people read.
    static func minute(_ instant: Int64) -> String {
        let (day, seconds) = local(instant)
        return "\(day) \(two(seconds / 3600)):\(two(seconds / 60 % 60))"
    }

    /// Reads `2027-01-15T16:00:00+08:00` and its common variants: `Z`, `+0800`, `+08`, fractions
    /// of a second, a space for the `T`, and a space for the `+` (what an unescaped `+` becomes in
    /// a query string). A date alone, or a time without a zone, is taken as China time.
    static func parse(_ text: String) -> Int64? {
        let s = Array(text.utf8)
        guard s.count >= 10, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
              let y = number(s[0..<4]), let m = number(s[5..<7]), let d = number(s[8..<10]),
              let day = try? Day(year: y, month: m, day: d)
        else { return nil }
        var seconds: Int64 = 0
        var zone = offset
        var i = 10
        if i < s.count {
            guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " "), s.count >= i + 6,
                  let hh = number(s[(i + 1)..<(i + 3)]), s[i + 3] == UInt8(ascii: ":"), let mm = number(s[(i + 4)..<(i + 6)]),
                  hh < 24, mm < 60
            else { return nil }
            seconds = Int64(hh * 3600 + mm * 60)
            i += 6
            if i < s.count, s[i] == UInt8(ascii: ":") {
                guard s.count >= i + 3, let ss = number(s[(i + 1)..<(i + 3)]), ss < 60 else { return nil }
                seconds += Int64(ss)
                i += 3
                if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                    i += 1
                    let start = i
                    while i < s.count, (48...57).contains(s[i]) { i += 1 }
                    guard i > start else { return nil }
                }
            }
            if i < s.count {
                guard let z = self.zone(s[i...]) else { return nil }
                zone = z
            }
        }
        return Int64(day.daysSinceEpoch) * 86_400 + seconds - zone
    }

    /// `Z`, `+08:00`, `+0800`, `+08`, `-05:00`; a leading space stands for `+`.
    private static func zone(_ s: ArraySlice<UInt8>) -> Int64? {
        let chars = Array(s)
        if chars == [UInt8(ascii: "Z")] || chars == [UInt8(ascii: "z")] { return 0 }
        guard let sign = chars.first, [UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: " ")].contains(sign) else { return nil }
        let rest = chars.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard [2, 4].contains(rest.count), chars.count - 1 - rest.count <= 1, let hh = number(rest.prefix(2)),
              let mm = rest.count == 4 ? number(rest.suffix(2)) : 0, hh <= 14, mm < 60
        else { return nil }
        let value = Int64(hh * 3600 + mm * 60)
        return sign == UInt8(ascii: "-") ? -value : value
    }

    private static func number<C: Collection>(_ digits: C) -> Int? where C.Element == UInt8 {
        guard !digits.isEmpty, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    private static func local(_ instant: Int64) -> (Day, Int64) {
        let shifted = instant + offset
        var days = shifted / 86_400
        var seconds = shifted % 86_400
        if seconds < 0 {
            days -= 1
            seconds += 86_400
        }
        return (Day(daysSinceEpoch: Int(days)), seconds)
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
