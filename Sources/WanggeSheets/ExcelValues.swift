/// How a numeric cell is shown when its number format is a date or time format.
enum DateStyle: Equatable {
    case date
    case dateTime
    case time
    /// `[h]:mm:ss` and the like: a duration in hours, which may exceed a day.
    case elapsed
}

/// Turning the numbers stored in a sheet into the text a person saw in Excel.
enum ExcelValues {
    /// The text of a numeric cell's stored value (`<v>`), without exponent.
    ///
    /// Worked on the decimal text rather than through `Double`: an 18-digit ID number typed as a
    /// number is stored as `1.1010119900307778E+17`, and converting that through binary floating
    /// point would invent different trailing digits. Integral values print all the digits the
    /// file has; other values are rounded to 15 significant digits, as Excel displays them, so
    /// that `0.30000000000000004` reads `0.3`.
    static func numberText(_ stored: String) -> String {
        let text = stored.trimmingSpaces
        var digits: [UInt8] = []
        var negative = false, seenPoint = false, seenDigit = false
        var pointPosition = 0, exponent = 0
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
            negative = utf8[index] == UInt8(ascii: "-")
            index = utf8.index(after: index)
        }
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte)
                seenDigit = true
                if !seenPoint { pointPosition += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard seenDigit, let value = Int(String(decoding: utf8[utf8.index(after: index)...], as: UTF8.self)),
                      abs(value) < 400 else { return text }
                exponent = value
                break
            } else {
                return text
            }
            index = utf8.index(after: index)
        }
        guard seenDigit else { return text }
        pointPosition += exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        guard !digits.isEmpty else { return "0" }
        if digits.count > pointPosition, digits.count > 15 {
            let roundUp = digits[15] >= UInt8(ascii: "5")
            digits.removeSubrange(15...)
            if roundUp {
                var position = 14
                while position >= 0 {
                    if digits[position] == UInt8(ascii: "9") {
                        digits[position] = UInt8(ascii: "0")
                        position -= 1
                    } else {
                        digits[position] += 1
                        break
                    }
                }
                if position < 0 {
                    digits.insert(UInt8(ascii: "1"), at: 0)
                    pointPosition += 1
                }
            }
            while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        }
        // Beyond these, a plain rendering would be a wall of zeros; Excel shows an exponent too.
        guard pointPosition <= 30, pointPosition >= -30 else { return text }
        var output: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if digits.count <= pointPosition {
            output += digits
            output += repeatElement(UInt8(ascii: "0"), count: pointPosition - digits.count)
        } else if pointPosition <= 0 {
            output += Array("0.".utf8)
            output += repeatElement(UInt8(ascii: "0"), count: -pointPosition)
            output += digits
        } else {
            output += digits[..<pointPosition]
            output.append(UInt8(ascii: "."))
            output += digits[pointPosition...]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The date style of a number format, or nil when it shows no date or time.
    ///
    /// - Parameter code: the format code when the workbook defines one for `id` (it may even
    ///   redefine a built-in id); otherwise the built-in meaning of `id` applies.
    static func dateStyle(numberFormatID id: Int, code: String?) -> DateStyle? {
        if let code { return dateStyle(formatCode: code) }
        switch id {
        case 14...17, 27...31, 36, 50...54, 57, 58: return .date
        case 22: return .dateTime
        case 18...21, 32...35, 45, 47, 55, 56: return .time
        case 46: return .elapsed
        default: return nil
        }
    }

    /// Looks for date and time tokens outside quoted literals, escapes and bracketed sections
    /// (`[Red]`, `[$-804]`, `[DBNum1]`), so that `0.00"天"` or `[$¥-804]#,##0` is not taken for a
    /// date while `yyyy"年"m"月"d"日"` is.
    static func dateStyle(formatCode code: String) -> DateStyle? {
        var hasYearOrDay = false, hasMonthOrMinute = false, hasTime = false, elapsed = false
        var scalars = code.lowercased().unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "\"":
                while let inner = scalars.next(), inner != "\"" {}
            case "\\", "_", "*":
                _ = scalars.next()
            case "[":
                var inside = ""
                while let inner = scalars.next(), inner != "]" { inside.unicodeScalars.append(inner) }
                if !inside.isEmpty, inside.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) {
                    elapsed = true
                }
            case "y", "d": hasYearOrDay = true
            case "m": hasMonthOrMinute = true
            case "h", "s": hasTime = true
            default: break
            }
        }
        if elapsed { return .elapsed }
        if hasYearOrDay { return hasTime ? .dateTime : .date }
        if hasTime { return .time }
        return hasMonthOrMinute ? .date : nil
    }

    /// The text Excel would show for a date serial, or nil when the serial is no date
    /// (negative, past 9999-12-31, or day 0 of the 1900 system) and the number should be shown.
    static func dateText(serial: Double, style: DateStyle, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        let totalSeconds = Int((serial * 86_400).rounded())
        let days = totalSeconds / 86_400, seconds = totalSeconds % 86_400
        let clock = seconds % 60 == 0
            ? "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60))"
            : "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
        if style == .elapsed {
            let hours = totalSeconds / 3600
            let rest = totalSeconds % 3600
            return rest % 60 == 0
                ? "\(hours):\(twoDigits(rest / 60))"
                : "\(hours):\(twoDigits(rest / 60)):\(twoDigits(rest % 60))"
        }
        if style == .time, days == 0 { return clock }
        let day: String
        if date1904 {
            day = civilDate(daysSince1970: days - 24_107)
        } else if days == 0 {
            return nil
        } else if days == 60 {
            // Excel keeps Lotus 1-2-3's 29 February 1900, a day that never was; show what Excel shows.
            day = "1900-02-29"
        } else {
            day = civilDate(daysSince1970: days - (days < 60 ? 25_568 : 25_569))
        }
        return style == .date ? day : day + " " + clock
    }

    /// Proleptic Gregorian year-month-day of a day count, by the well-known era arithmetic
    /// (no Calendar, so no time zone can shift the day).
    static func civilDate(daysSince1970: Int) -> String {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(twoDigits(month))-\(twoDigits(day))"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Undoes OOXML's `_xHHHH_` escapes, with which Excel stores characters XML cannot carry
    /// (a carriage return is `_x000D_`); `_x005F_` escapes the underscore of a literal `_x…_`.
    static func unescapeOOXML(_ text: String) -> String {
        guard text.mayHoldOOXMLEscape else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var pendingHigh: UInt32?
        while index < bytes.count {
            if let value = escapedValue(bytes, at: index) {
                index += 7
                if (0xD800...0xDBFF).contains(value) {
                    pendingHigh = value
                    continue
                }
                var scalarValue = value
                if let high = pendingHigh, (0xDC00...0xDFFF).contains(value) {
                    scalarValue = 0x1_0000 + ((high - 0xD800) << 10) + (value - 0xDC00)
                }
                pendingHigh = nil
                if let scalar = Unicode.Scalar(scalarValue) {
                    output += Array(String(Character(scalar)).utf8)
                }
                continue
            }
            pendingHigh = nil
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escapedValue(_ bytes: [UInt8], at index: Int) -> UInt32? {
        guard index + 7 <= bytes.count, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
              bytes[index + 6] == UInt8(ascii: "_") else { return nil }
        return UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
    }
}

extension String {
    /// Without leading and trailing XML whitespace (space, tab, CR, LF); the common case of
    /// nothing to trim costs two byte comparisons, which matters once per cell.
    var trimmingSpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        guard first.isXMLSpace || last.isXMLSpace else { return self }
        guard let start = utf8.firstIndex(where: { !$0.isXMLSpace }) else { return "" }
        let end = utf8.lastIndex(where: { !$0.isXMLSpace })!
        return String(self[start...end])
    }

    /// Whether the text holds "_x", the start of an OOXML `_xHHHH_` escape; a byte scan, as
    /// `contains(_:)` on strings goes through Foundation's locale-aware search.
    var mayHoldOOXMLEscape: Bool {
        var previousWasUnderscore = false
        for byte in utf8 {
            if previousWasUnderscore, byte == UInt8(ascii: "x") { return true }
            previousWasUnderscore = byte == UInt8(ascii: "_")
        }
        return false
    }
}

extension UInt8 {
    var isXMLSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
