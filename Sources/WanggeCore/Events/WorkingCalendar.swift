/// A calendar date in China (UTC+8), as the working calendar sees it.
///
/// The arithmetic is done here rather than with Foundation's `Calendar`/`TimeZone` so that every
/// deadline comes out the same on every machine whatever its time-zone database says: China has
/// one zone, UTC+8, and no daylight saving time.
public struct Day: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Offset of Chinese local time from UTC.
    public static let utcOffsetSeconds: Int64 = 8 * 3600

    public init(year: Int, month: Int, day: Int) throws(ValidationError) {
        guard (1900...2999).contains(year) else { throw ValidationError(field: "date", "年份超出范围：\(year)") }
        guard (1...12).contains(month) else { throw ValidationError(field: "date", "月份无效：\(month)") }
        guard (1...Day.length(ofMonth: month, year: year)).contains(day) else {
            throw ValidationError(field: "date", "\(year)年\(month)月没有\(day)日")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2026-10-01` (one- or two-digit month and day are accepted, as typed by people).
    public init(_ text: String) throws(ValidationError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        func number(_ s: Substring, digits: ClosedRange<Int>) -> Int? {
            guard digits.contains(s.utf8.count), s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int(s)
        }
        guard parts.count == 3, let y = number(parts[0], digits: 4...4), let m = number(parts[1], digits: 1...2),
              let d = number(parts[2], digits: 1...2)
        else { throw ValidationError(field: "date", "日期应写作 yyyy-MM-dd，收到“\(text)”") }
        try self.init(year: y, month: m, day: d)
    }

    /// The date `days` after 1970-01-01 in the proleptic Gregorian calendar.
    public init(daysSinceEpoch days: Int) {
        // Count in 400-year eras (146,097 days each) of years starting on 1 March, so that the
        // leap day is the last day of its year and months have a fixed pattern from March on.
        let shifted = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153  // 0 = March … 11 = February
        day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The local (UTC+8) date of an instant given in Unix seconds.
    public init(localDateOf instant: Int64) {
        self.init(daysSinceEpoch: Int(Day.floorDiv(instant + Day.utcOffsetSeconds, 86_400)))
    }

    /// Days from 1970-01-01 to this date (negative before it).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday.
    public var weekday: Int { Int(Day.floorMod(Int64(daysSinceEpoch) + 3, 7)) + 1 }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// The instant at local midnight starting this date.
    public var startInstant: Int64 { Int64(daysSinceEpoch) * 86_400 - Day.utcOffsetSeconds }

    /// `2026-10-01`
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Division rounding towards minus infinity, so instants before the epoch fall on the right day.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}

/// One working period of a day, in minutes after local midnight; `start` is inside, `end` is not.
public struct ClockPeriod: Hashable, Codable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Length in seconds.
    public var seconds: Int64 { Int64(end - start) * 60 }

    /// `08:30-12:00`
    public var description: String {
        func clock(_ m: Int) -> String {
            let h = m / 60, mm = m % 60
            return (h < 10 ? "0\(h)" : "\(h)") + ":" + (mm < 10 ? "0\(mm)" : "\(mm)")
        }
        return clock(start) + "-" + clock(end)
    }
}

/// Which days and hours count as working time (工作日、工作时间), for deadlines (限期处理) and
/// supervision of overdue and unsigned items (超期件、未签收件督办).
///
/// A day is a working day when it is a make-up workday (调休上班), or else when it is Monday to
/// Friday and not a holiday. Times are Unix seconds; days are local dates in UTC+8.
/// The lists are data: an administrator replaces them each year when the State Council
/// publishes the next year's holiday arrangements.
public struct WorkingCalendar: Hashable, Codable, Sendable {
    /// Days off (法定节假日 and the days swapped for them). Only weekdays matter; weekend days of
    /// a holiday range may be listed too, which lets the notice's ranges be copied as they are.
    public var holidays: Set<Day>
    /// Weekend days worked instead (调休上班).
    public var makeUpWorkdays: Set<Day>
    /// The working periods of a working day, in order, not overlapping.
    public var periods: [ClockPeriod]

    /// 08:30–12:00 and 14:30–18:00, seven hours, the common office hours of county governments.
    public static let defaultPeriods = [ClockPeriod(start: 8 * 60 + 30, end: 12 * 60),
                                        ClockPeriod(start: 14 * 60 + 30, end: 18 * 60)]

    public init(holidays: Set<Day> = [], makeUpWorkdays: Set<Day> = [], periods: [ClockPeriod] = WorkingCalendar.defaultPeriods) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
        self.periods = periods
    }

    /// China's public holidays and make-up workdays of 2026, as published by the General Office
    /// of the State Council on 2025-11-04 (国务院办公厅关于2026年部分节假日安排的通知).
    /// As published for 2026; verify each year, and let the administrator load the next year's.
    public static let standard = WorkingCalendar(
        holidays: Set(WorkingCalendar.ranges2026.flatMap { WorkingCalendar.days($0.0, $0.1) }),
        makeUpWorkdays: Set(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
            .map { try! Day($0) }))

    /// The days-off ranges of the 2026 notice: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节.
    private static let ranges2026 = [
        ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ]

    private static func days(_ first: String, _ last: String) -> [Day] {
        let a = try! Day(first), b = try! Day(last)
        return (a.daysSinceEpoch...b.daysSinceEpoch).map(Day.init(daysSinceEpoch:))
    }

    /// Periods ordered, within the day, not overlapping; no date both a holiday and a workday.
    public func validate() throws(ValidationError) {
        guard !periods.isEmpty else { throw ValidationError(field: "periods", "至少需要一个工作时段") }
        var previousEnd = 0
        for p in periods {
            guard p.start >= previousEnd, p.start < p.end, p.end <= 24 * 60 else {
                throw ValidationError(field: "periods", "工作时段须在一天之内、按时间先后排列且互不重叠：\(p)")
            }
            previousEnd = p.end
        }
        if let day = holidays.intersection(makeUpWorkdays).min() {
            throw ValidationError(field: "makeUpWorkdays", "\(day)不能既是节假日又是调休上班日")
        }
    }

    /// Working seconds in one working day (25,200 with the default periods).
    public var workingDaySeconds: Int64 { periods.reduce(0) { $0 + max(0, $1.seconds) } }

    public func isWorkingDay(_ day: Day) -> Bool {
        if makeUpWorkdays.contains(day) { return true }
        if holidays.contains(day) { return false }
        return !day.isWeekend
    }

    /// True when `instant` falls inside a working period of a working day.
    public func isWorkingTime(_ instant: Int64) -> Bool {
        let (day, second) = Self.local(instant)
        return isWorkingDay(Day(daysSinceEpoch: day)) && periods.contains { $0.start * 60 <= second && second < $0.end * 60 }
    }

    /// The instant when `hours` of working time have passed since `start`. Only time inside the
    /// periods of working days counts. When the count runs out exactly at the end of a period,
    /// the answer is that end (12:00, 18:00), not the start of the next one: a deadline is the
    /// earliest moment by which the work is due. Zero, negative or non-finite hours give `start`.
    public func addingWorkingHours(_ hours: Double, to start: Int64) -> Int64 {
        guard hours.isFinite, hours > 0, workingDaySeconds > 0 else { return start }
        var remaining = Int64((hours * 3600).rounded())
        var (day, second) = Self.local(start)
        while remaining > 0 {
            if isWorkingDay(Day(daysSinceEpoch: day)) {
                for p in periods {
                    let from = max(second, Int64(p.start) * 60), end = Int64(p.end) * 60
                    guard from < end else { continue }
                    if remaining <= end - from { return Self.instant(day: day, second: from + remaining) }
                    remaining -= end - from
                }
            }
            day += 1
            second = 0
        }
        return start
    }

    /// The deadline `days` working days after `start`.
    ///
    /// - Inside working time, the answer is the same local time of day on the `days`-th following
    ///   working day (Monday 10:00 + 1 → Tuesday 10:00; Friday 15:00 + 1 → Monday 15:00).
    /// - Outside working time (before 08:30, at lunch, from 18:00 on, on a day off) the count
    ///   starts at the next working period's start (12:30 counts from 14:30).
    /// - End of day: when the count starts at the opening of a working day (at or before 08:30,
    ///   or the evening or days off before), `days` working days end at the close (18:00) of the
    ///   `days`-th working day counting that day itself — Friday 19:00 + 3 → Wednesday 18:00 —
    ///   which is the same working time as the next morning's 08:30 but reads as "by the end of
    ///   Wednesday".
    /// Either way exactly `days` × `workingDaySeconds` of working time separate the count's start
    /// and the answer. Zero or negative `days` give `start`.
    public func addingWorkingDays(_ days: Int, to start: Int64) -> Int64 {
        guard days > 0, let first = periods.first, let last = periods.last, workingDaySeconds > 0 else { return start }
        var (day, second) = Self.local(start)
        if !isWorkingTime(start) {
            // Move to the next period start on this day, or to the next working day's opening.
            if isWorkingDay(Day(daysSinceEpoch: day)), let p = periods.first(where: { Int64($0.start) * 60 >= second }) {
                second = Int64(p.start) * 60
            } else {
                day = nextWorkingDay(after: day)
                second = Int64(first.start) * 60
            }
        }
        if second == Int64(first.start) * 60 {
            var target = day
            for _ in 1..<days { target = nextWorkingDay(after: target) }
            return Self.instant(day: target, second: Int64(last.end) * 60)
        }
        var target = day
        for _ in 0..<days { target = nextWorkingDay(after: target) }
        return Self.instant(day: target, second: second)
    }

    /// Working time between two instants, in seconds; 0 when `to` is not after `from`.
    public func workingSeconds(from: Int64, to: Int64) -> Int64 {
        guard to > from else { return 0 }
        let (firstDay, firstSecond) = Self.local(from)
        let (lastDay, lastSecond) = Self.local(to)
        var total: Int64 = 0
        for day in firstDay...lastDay where isWorkingDay(Day(daysSinceEpoch: day)) {
            let lower = day == firstDay ? firstSecond : 0
            let upper = day == lastDay ? lastSecond : 86_400
            for p in periods {
                total += max(0, min(upper, Int64(p.end) * 60) - max(lower, Int64(p.start) * 60))
            }
        }
        return total
    }

    /// Working time between two instants in working days (`workingSeconds / workingDaySeconds`).
    public func workingDays(from: Int64, to: Int64) -> Double {
        let length = workingDaySeconds
        return length > 0 ? Double(workingSeconds(from: from, to: to)) / Double(length) : 0
    }

    private func nextWorkingDay(after day: Int) -> Int {
        var d = day + 1
        // Terminates: the holiday list is finite, so some later weekday is a working day.
        while !isWorkingDay(Day(daysSinceEpoch: d)) { d += 1 }
        return d
    }

    /// Local day number and second of the day of an instant.
    static func local(_ instant: Int64) -> (day: Int, second: Int64) {
        let t = instant + Day.utcOffsetSeconds
        return (Int(Day.floorDiv(t, 86_400)), Day.floorMod(t, 86_400))
    }

    static func instant(day: Int, second: Int64) -> Int64 {
        Int64(day) * 86_400 + second - Day.utcOffsetSeconds
    }

    private enum CodingKeys: String, CodingKey { case holidays, makeUpWorkdays, periods }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(holidays: Set(try c.decode([Day].self, forKey: .holidays)),
                  makeUpWorkdays: Set(try c.decode([Day].self, forKey: .makeUpWorkdays)),
                  periods: try c.decode([ClockPeriod].self, forKey: .periods))
        do { try validate() } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Dates are written in order so that the stored calendar is stable and diffable.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(holidays.sorted(), forKey: .holidays)
        try c.encode(makeUpWorkdays.sorted(), forKey: .makeUpWorkdays)
        try c.encode(periods, forKey: .periods)
    }
}

/// A handling deadline (处置时限) in working time: `4h` is four working hours, `3d` three
/// working days.
public enum DeadlineSpec: Hashable, Codable, Sendable, CustomStringConvertible {
    case workingHours(Int)
    case workingDays(Int)

    /// Longest deadlines accepted; beyond them the item should be split or handled as a case.
    public static let maxHours = 72
    public static let maxDays = 60

    /// Parses `4h`, `3d`, `4个工作小时`, `3个工作日` (also `3工作日`, `3个工作天`).
    public init(parsing text: String) throws(ValidationError) {
        let s = text.filter { !$0.isWhitespace }.lowercased()
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        let unit = s.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits) else {
            throw ValidationError(field: "deadline", "处置时限应写作“3个工作日”或“4个工作小时”(或3d、4h)，收到“\(text)”")
        }
        switch unit {
        case "h", "个工作小时", "工作小时": self = .workingHours(n)
        case "d", "个工作日", "工作日", "个工作天", "工作天": self = .workingDays(n)
        default:
            throw ValidationError(field: "deadline", "处置时限应写作“3个工作日”或“4个工作小时”(或3d、4h)，收到“\(text)”")
        }
        try validate()
    }

    /// At least one hour or day, at most `maxHours` or `maxDays`.
    public func validate() throws(ValidationError) {
        switch self {
        case .workingHours(let n):
            guard (1...Self.maxHours).contains(n) else {
                throw ValidationError(field: "deadline", "以小时计的处置时限应在1–\(Self.maxHours)个工作小时之间，收到\(n)")
            }
        case .workingDays(let n):
            guard (1...Self.maxDays).contains(n) else {
                throw ValidationError(field: "deadline", "以天计的处置时限应在1–\(Self.maxDays)个工作日之间，收到\(n)")
            }
        }
    }

    /// `4h` or `3d`, the form stored and sent.
    public var description: String {
        switch self {
        case .workingHours(let n): "\(n)h"
        case .workingDays(let n): "\(n)d"
        }
    }

    /// `4个工作小时` or `3个工作日`, the form users read.
    public var label: String {
        switch self {
        case .workingHours(let n): "\(n)个工作小时"
        case .workingDays(let n): "\(n)个工作日"
        }
    }

    public var isInHours: Bool {
        if case .workingHours = self { return true }
        return false
    }

    /// The deadline for work starting at `start` (usually the dispatch).
    public func deadline(from start: Int64, calendar: WorkingCalendar) -> Int64 {
        switch self {
        case .workingHours(let n): calendar.addingWorkingHours(Double(n), to: start)
        case .workingDays(let n): calendar.addingWorkingDays(n, to: start)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
