import Foundation
import Testing
@testable import WanggeCore

/// Unix seconds of a Beijing local time written `2026-11-23 10:00`.
func beijing(_ text: String) -> Int64 {
    let parts = text.split(separator: " ")
    let clock = parts[1].split(separator: ":").map { Int64($0)! }
    return try! Day(String(parts[0])).startInstant + clock[0] * 3600 + clock[1] * 60
}

/// The Beijing local time of an instant, written like `beijing` reads it.
func beijingText(_ t: Int64) -> String {
    let day = Day(localDateOf: t)
    let second = Int(t - day.startInstant)
    let h = second / 3600, m = second % 3600 / 60
    return "\(day) " + (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
}

private func day(_ s: String) -> Day { try! Day(s) }

@Suite("Day")
struct DayTests {
    @Test func parsesAndPrints() throws {
        let d = try Day("2026-10-01")
        #expect(d.year == 2026 && d.month == 10 && d.day == 1)
        #expect(d.description == "2026-10-01")
        #expect(try Day("2026-1-4") == Day(year: 2026, month: 1, day: 4))
        #expect(try Day("2024-02-29").weekday == 4)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "26-10-01", "2026/10/01", "", "abcd-ef-gh", "2026-10-01x"])
    func rejectsBadDates(_ text: String) {
        #expect(throws: ValidationError.self) { try Day(text) }
    }

    @Test func epochArithmeticMatchesKnownDates() {
        // Reference values computed independently (Python's datetime).
        #expect(day("1970-01-01").daysSinceEpoch == 0)
        #expect(day("2026-11-20").daysSinceEpoch == 20777)
        #expect(day("1900-01-01").daysSinceEpoch == -25567)
        #expect(day("2999-12-31").daysSinceEpoch == 376_199)
        #expect(day("1970-01-01").weekday == 4)
        #expect(day("1900-01-01").weekday == 1)
        #expect(day("2026-10-01").weekday == 4)
        #expect(day("2026-11-22").weekday == 7)
        #expect(day("2026-01-01").startInstant == 1_767_196_800)
        #expect(beijing("2026-11-23 10:00") == 1_795_399_200)
    }

    @Test func daysSinceEpochRoundTrips() {
        for n in stride(from: -30_000, through: 400_000, by: 7) {
            let d = Day(daysSinceEpoch: n)
            #expect(d.daysSinceEpoch == n)
            #expect(d.adding(days: 1) > d)
        }
    }

    @Test func localDateChangesAtBeijingMidnight() {
        let midnight = day("2026-10-01").startInstant  // 2026-09-30 16:00 UTC
        #expect(Day(localDateOf: midnight) == day("2026-10-01"))
        #expect(Day(localDateOf: midnight - 1) == day("2026-09-30"))
        #expect(Day(localDateOf: -1) == day("1970-01-01"))  // 07:59:59 in Beijing
        #expect(Day(localDateOf: -8 * 3600 - 1) == day("1969-12-31"))
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode([day("2026-10-01")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-10-01"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: data) == [day("2026-10-01")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.standard

    @Test func weekendsHolidaysAndMakeUpDays() {
        #expect(calendar.isWorkingDay(day("2026-11-20")))  // Friday
        #expect(!calendar.isWorkingDay(day("2026-11-21")))  // Saturday
        #expect(!calendar.isWorkingDay(day("2026-11-22")))  // Sunday
        #expect(!calendar.isWorkingDay(day("2026-10-01")))  // National Day, a Thursday
        #expect(!calendar.isWorkingDay(day("2026-06-19")))  // Dragon Boat, a Friday
        #expect(calendar.isWorkingDay(day("2026-10-10")))  // make-up Saturday
        #expect(calendar.isWorkingDay(day("2026-09-20")))  // make-up Sunday
        #expect(calendar.isWorkingDay(day("2027-10-01")))  // 2027 is not loaded: a plain Friday
        #expect(calendar.holidays.count == 33)
        #expect(calendar.makeUpWorkdays.count == 6)
        #expect(calendar.makeUpWorkdays.allSatisfy { $0.isWeekend })
        #expect(calendar.workingDaySeconds == 7 * 3600)
        #expect(throws: Never.self) { try calendar.validate() }
    }

    @Test func workingTimeIsHalfOpen() {
        #expect(calendar.isWorkingTime(beijing("2026-11-23 08:30")))
        #expect(!calendar.isWorkingTime(beijing("2026-11-23 12:00")))
        #expect(!calendar.isWorkingTime(beijing("2026-11-23 08:29")))
        #expect(!calendar.isWorkingTime(beijing("2026-11-23 18:00")))
        #expect(!calendar.isWorkingTime(beijing("2026-11-21 10:00")))
    }

    @Test(arguments: [
        ("2026-11-23 10:00", 1.0, "2026-11-23 11:00"),
        ("2026-11-23 10:00", 2.0, "2026-11-23 12:00"),  // ends at the end of a period, not at 14:30
        ("2026-11-23 11:00", 2.0, "2026-11-23 15:30"),  // across lunch
        ("2026-11-23 11:45", 0.5, "2026-11-23 14:45"),
        ("2026-11-23 08:30", 7.0, "2026-11-23 18:00"),
        ("2026-11-23 17:00", 2.0, "2026-11-24 09:30"),  // overnight
        ("2026-11-20 17:00", 2.0, "2026-11-23 09:30"),  // across a weekend
        ("2026-11-21 10:00", 1.0, "2026-11-23 09:30"),  // from a Saturday
        ("2026-11-23 07:00", 1.0, "2026-11-23 09:30"),  // before opening
        ("2026-11-23 19:00", 1.0, "2026-11-24 09:30"),  // after closing
        ("2026-09-30 17:00", 4.0, "2026-10-08 11:30"),  // across National Day
        ("2026-10-09 17:00", 2.0, "2026-10-10 09:30"),  // onto a make-up Saturday
        ("2026-11-23 10:00", 0.0, "2026-11-23 10:00"),
        ("2026-11-23 19:00", -3.0, "2026-11-23 19:00"),
    ])
    func addingWorkingHours(_ start: String, _ hours: Double, _ expected: String) {
        #expect(beijingText(calendar.addingWorkingHours(hours, to: beijing(start))) == expected)
    }

    @Test(arguments: [
        ("2026-11-23 10:00", 1, "2026-11-24 10:00"),
        ("2026-11-20 15:00", 1, "2026-11-23 15:00"),  // Friday afternoon → Monday afternoon
        ("2026-11-20 15:00", 3, "2026-11-25 15:00"),
        ("2026-11-23 12:30", 1, "2026-11-24 14:30"),  // lunch counts from 14:30
        ("2026-11-23 07:00", 1, "2026-11-23 18:00"),  // before 08:30: the day itself is the first
        ("2026-11-23 08:30", 2, "2026-11-24 18:00"),
        ("2026-11-23 18:00", 1, "2026-11-24 18:00"),  // from closing time: the next day's end
        ("2026-11-20 19:00", 3, "2026-11-25 18:00"),  // Friday evening + 3 → Wednesday close
        ("2026-11-21 10:00", 1, "2026-11-23 18:00"),  // from a Saturday
        ("2026-10-01 10:00", 1, "2026-10-08 18:00"),  // from a holiday
        ("2026-09-30 10:00", 1, "2026-10-08 10:00"),  // over the National Day week
        ("2026-10-09 10:00", 1, "2026-10-10 10:00"),  // onto a make-up Saturday
        ("2026-11-23 10:00", 0, "2026-11-23 10:00"),
    ])
    func addingWorkingDays(_ start: String, _ days: Int, _ expected: String) {
        #expect(beijingText(calendar.addingWorkingDays(days, to: beijing(start))) == expected)
    }

    /// Whatever the start, a deadline leaves exactly the promised working time.
    @Test func deadlinesLeaveExactlyTheirWorkingTime() {
        var t = beijing("2026-09-24 00:00")
        let end = beijing("2026-10-13 00:00")
        while t < end {
            for n in 1...3 {
                let dayEnd = calendar.addingWorkingDays(n, to: t)
                #expect(calendar.workingSeconds(from: t, to: dayEnd) == Int64(n) * calendar.workingDaySeconds, "\(beijingText(t)) +\(n)d")
                let hourEnd = calendar.addingWorkingHours(Double(n * 3), to: t)
                #expect(calendar.workingSeconds(from: t, to: hourEnd) == Int64(n) * 3 * 3600, "\(beijingText(t)) +\(n * 3)h")
                #expect(calendar.isWorkingTime(hourEnd - 1))
            }
            t += 25 * 60
        }
    }

    @Test func workingSecondsAcrossTheNationalDayWeek() {
        // 28–30 Sep, 8–10 Oct (10 Oct a make-up Saturday): six working days.
        let from = beijing("2026-09-28 00:00"), to = beijing("2026-10-12 00:00")
        #expect(calendar.workingSeconds(from: from, to: to) == 6 * 7 * 3600)
        #expect(calendar.workingDays(from: from, to: to) == 6)
        #expect(calendar.workingSeconds(from: beijing("2026-09-30 17:00"), to: beijing("2026-10-08 09:00")) == 5400)
        #expect(calendar.workingSeconds(from: beijing("2026-10-02 09:00"), to: beijing("2026-10-06 17:00")) == 0)
        #expect(calendar.workingSeconds(from: to, to: from) == 0)
        #expect(calendar.workingDays(from: beijing("2026-11-23 08:30"), to: beijing("2026-11-23 12:00")) == 0.5)
    }

    @Test func plainWeekCalendarWithOtherHours() throws {
        let summer = WorkingCalendar(periods: [ClockPeriod(start: 9 * 60, end: 12 * 60), ClockPeriod(start: 15 * 60, end: 18 * 60)])
        try summer.validate()
        #expect(summer.workingDaySeconds == 6 * 3600)
        #expect(summer.isWorkingDay(day("2026-10-01")))
        #expect(beijingText(summer.addingWorkingHours(4, to: beijing("2026-10-01 10:00"))) == "2026-10-01 17:00")
        #expect(beijingText(summer.addingWorkingDays(1, to: beijing("2026-10-01 08:00"))) == "2026-10-01 18:00")
    }

    @Test func validationNamesTheField() {
        func field(_ c: WorkingCalendar) -> String? {
            do throws(ValidationError) { try c.validate(); return nil } catch { return error.field }
        }
        #expect(field(WorkingCalendar(periods: [])) == "periods")
        #expect(field(WorkingCalendar(periods: [ClockPeriod(start: 600, end: 700), ClockPeriod(start: 650, end: 800)])) == "periods")
        #expect(field(WorkingCalendar(periods: [ClockPeriod(start: 800, end: 700)])) == "periods")
        #expect(field(WorkingCalendar(periods: [ClockPeriod(start: 1000, end: 1500)])) == "periods")
        #expect(field(WorkingCalendar(holidays: [day("2026-10-10")], makeUpWorkdays: [day("2026-10-10")])) == "makeUpWorkdays")
    }

    @Test func codableRoundTripWithSortedDates() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(calendar)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""makeUpWorkdays":["2026-01-04","2026-02-14","2026-02-28","2026-05-09","2026-09-20","2026-10-10"]"#))
        #expect(try JSONDecoder().decode(WorkingCalendar.self, from: data) == calendar)
        let broken = Data(#"{"holidays":[],"makeUpWorkdays":[],"periods":[]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkingCalendar.self, from: broken) }
    }
}

@Suite("DeadlineSpec")
struct DeadlineSpecTests {
    @Test(arguments: [("4h", DeadlineSpec.workingHours(4)), ("3d", .workingDays(3)), ("3个工作日", .workingDays(3)),
                      ("4个工作小时", .workingHours(4)), (" 13 个工作日 ", .workingDays(13)), ("2D", .workingDays(2)),
                      ("1工作日", .workingDays(1))])
    func parses(_ text: String, _ expected: DeadlineSpec) throws {
        #expect(try DeadlineSpec(parsing: text) == expected)
    }

    @Test(arguments: ["3", "3w", "0d", "61d", "73h", "d", "三个工作日", "3天", "-1d", "99999d", ""])
    func rejects(_ text: String) {
        let error = #expect(throws: ValidationError.self) { try DeadlineSpec(parsing: text) }
        #expect(error?.field == "deadline")
    }

    @Test func textForms() throws {
        #expect(DeadlineSpec.workingDays(3).description == "3d")
        #expect(DeadlineSpec.workingHours(4).label == "4个工作小时")
        let data = try JSONEncoder().encode([DeadlineSpec.workingHours(4), .workingDays(13)])
        #expect(String(decoding: data, as: UTF8.self) == #"["4h","13d"]"#)
        #expect(try JSONDecoder().decode([DeadlineSpec].self, from: data) == [.workingHours(4), .workingDays(13)])
    }

    @Test func deadlineUsesTheCalendar() {
        let start = beijing("2026-09-30 10:00")
        #expect(beijingText(DeadlineSpec.workingDays(1).deadline(from: start, calendar: .standard)) == "2026-10-08 10:00")
        #expect(beijingText(DeadlineSpec.workingHours(8).deadline(from: start, calendar: .standard)) == "2026-10-08 11:00")
    }
}

@Suite("EventSerial")
struct EventSerialTests {
    @Test func makesNineteenDigits() {
        let serial = EventSerial.make(county: "520399", at: beijing("2026-11-22 23:59"), sequence: 1)
        #expect(serial == "5203992026112200001")
        // Just after local midnight (16:00 UTC the day before) it is already the next day.
        #expect(EventSerial.make(county: "520399", at: day("2026-11-23").startInstant, sequence: 12345) == "5203992026112312345")
        #expect(EventSerial.make(county: "520399", at: beijing("2026-01-02 00:00"), sequence: 99_999) == "5203992026010299999")
    }

    @Test func parsesBack() throws {
        let parsed = try #require(EventSerial.parse("5203992026112200001"))
        #expect(parsed.county == "520399" && parsed.day == day("2026-11-22") && parsed.sequence == 1)
    }

    @Test(arguments: ["520399202611220000", "52039920261122000011", "5203992026113100001", "5203992026112200000",
                      "52039920261122OOOO1", "５203992026112200001", ""])
    func rejectsNonSerials(_ text: String) {
        #expect(EventSerial.parse(text) == nil)
    }
}
