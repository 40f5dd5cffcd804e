import Testing
@testable import WanggeCore

@Suite("Supervision")
struct SupervisionTests {
    let calendar = WorkingCalendar.standard
    let thresholds = SupervisionThresholds.standard
    /// A Monday morning with no holiday for two weeks after it.
    let dispatched = beijing("2026-11-23 10:00")

    func cards(_ status: EventStatus, at now: String, signedAt: Int64? = nil, handledAt: Int64? = nil,
               deadline: Int64? = nil, dispatchedAt: Int64?? = .none) -> [Card] {
        Supervision.dueCards(status: status, dispatchedAt: dispatchedAt ?? dispatched, signedAt: signedAt, handledAt: handledAt,
                             deadline: deadline, now: beijing(now), calendar: calendar, thresholds: thresholds)
    }

    @Test func unsignedYellowAtTwoWorkingDays() {
        #expect(cards(.dispatched, at: "2026-11-25 09:59").isEmpty)
        #expect(Supervision.dueCards(status: .dispatched, dispatchedAt: dispatched, signedAt: nil, handledAt: nil, deadline: nil,
                                     now: beijing("2026-11-25 10:00") - 1, calendar: calendar, thresholds: thresholds).isEmpty)
        #expect(cards(.dispatched, at: "2026-11-25 10:00") == [Card(.unsigned, .yellow)])
    }

    @Test func unsignedRedAndUnfinishedYellowAtFiveWorkingDays() {
        // Mon 23 → Mon 30: five working days; the weekend does not count.
        #expect(cards(.dispatched, at: "2026-11-30 09:59") == [Card(.unsigned, .yellow)])
        #expect(cards(.dispatched, at: "2026-11-30 10:00")
                == [Card(.unsigned, .yellow), Card(.unsigned, .red), Card(.unfinished, .yellow)])
    }

    @Test func unfinishedRedAtTenWorkingDays() {
        #expect(cards(.signed, at: "2026-12-07 09:59", signedAt: dispatched + 60) == [Card(.unfinished, .yellow)])
        #expect(cards(.signed, at: "2026-12-07 10:00", signedAt: dispatched + 60)
                == [Card(.unfinished, .yellow), Card(.unfinished, .red)])
    }

    @Test func signedEventsGetNoUnsignedCard() {
        #expect(cards(.signed, at: "2026-11-27 10:00", signedAt: dispatched + 60).isEmpty)
        // A stale status with a signature of this dispatch: still no unsigned card.
        #expect(cards(.dispatched, at: "2026-11-27 10:00", signedAt: dispatched + 60).isEmpty)
        // A signature of an earlier dispatch does not count for this one.
        #expect(cards(.dispatched, at: "2026-11-27 10:00", signedAt: dispatched - 3600) == [Card(.unsigned, .yellow)])
    }

    @Test func handledAndClosedEventsGetNone() {
        let deadline = beijing("2026-11-23 14:00")
        for status in [EventStatus.handled, .closed, .evaluated, .rejected, .merged] {
            #expect(cards(status, at: "2027-01-29 10:00", signedAt: dispatched, handledAt: dispatched + 7200, deadline: deadline).isEmpty,
                    "\(status)")
        }
    }

    @Test func failedVerificationKeepsTheClockRunning() {
        // Back to .signed after a failed check: the earlier handledAt does not stop the clock.
        #expect(cards(.signed, at: "2026-11-30 10:00", signedAt: dispatched + 60, handledAt: dispatched + 7200)
                == [Card(.unfinished, .yellow)])
    }

    @Test func overduePastTheDeadline() {
        let deadline = DeadlineSpec.workingHours(4).deadline(from: dispatched, calendar: calendar)
        #expect(beijingText(deadline) == "2026-11-23 16:30")
        #expect(cards(.signed, at: "2026-11-23 16:30", signedAt: dispatched, deadline: deadline).isEmpty)
        #expect(Supervision.dueCards(status: .signed, dispatchedAt: dispatched, signedAt: dispatched, handledAt: nil,
                                     deadline: deadline, now: deadline + 1, calendar: calendar, thresholds: thresholds)
                == [Card(.overdue, .red)])
        // An event back at a center (returned, or handled on the spot) with a deadline running.
        #expect(cards(.accepted, at: "2026-11-24 10:00", deadline: deadline, dispatchedAt: .some(nil)) == [Card(.overdue, .red)])
        #expect(cards(.handled, at: "2026-11-24 10:00", deadline: deadline).isEmpty)
    }

    @Test func everythingAtOnceWhenLongForgotten() {
        let deadline = DeadlineSpec.workingDays(3).deadline(from: dispatched, calendar: calendar)
        #expect(cards(.dispatched, at: "2026-12-31 10:00", deadline: deadline)
                == [Card(.unsigned, .yellow), Card(.unsigned, .red), Card(.unfinished, .yellow), Card(.unfinished, .red),
                    Card(.overdue, .red)])
    }

    @Test func noDispatchNoThresholdCards() {
        #expect(cards(.reported, at: "2026-12-31 10:00", dispatchedAt: .some(nil)).isEmpty)
        #expect(cards(.accepted, at: "2026-12-31 10:00", dispatchedAt: .some(nil)).isEmpty)
    }

    @Test func holidaysDelayTheCards() {
        let before = beijing("2026-09-30 10:00")
        func at(_ now: String) -> [Card] {
            Supervision.dueCards(status: .dispatched, dispatchedAt: before, signedAt: nil, handledAt: nil, deadline: nil,
                                 now: beijing(now), calendar: calendar, thresholds: thresholds)
        }
        #expect(at("2026-10-08 18:00").isEmpty)  // 1.x working days: 30 Sep and 8 Oct
        #expect(at("2026-10-09 09:59").isEmpty)
        #expect(at("2026-10-09 10:00") == [Card(.unsigned, .yellow)])
    }

    /// Cards only accumulate as time passes, so storing each once never loses or repeats one.
    @Test func cardsAreMonotonicInTime() {
        let deadline = DeadlineSpec.workingDays(6).deadline(from: dispatched, calendar: calendar)
        var previous: Set<Card> = []
        var now = dispatched
        while now < beijing("2026-12-20 00:00") {
            let due = Set(Supervision.dueCards(status: .dispatched, dispatchedAt: dispatched, signedAt: nil, handledAt: nil,
                                               deadline: deadline, now: now, calendar: calendar, thresholds: thresholds))
            #expect(due.isSuperset(of: previous), "\(beijingText(now))")
            previous = due
            now += 1800
        }
        #expect(previous.count == 5)
    }

    @Test func labels() {
        #expect(Card(.unsigned, .yellow).label == "超期未签收·黄牌")
        #expect(Card(.unfinished, .red).label == "超期未处置·红牌")
        #expect(Card(.overdue, .red).label == "超过处置时限·红牌")
    }

    @Test func thresholdValidation() {
        func field(_ t: SupervisionThresholds) -> String? {
            do throws(ValidationError) { try t.validate(); return nil } catch { return error.field }
        }
        #expect(field(.standard) == nil)
        #expect(field(SupervisionThresholds(unsignedYellowDays: 0)) == "unsignedYellowDays")
        #expect(field(SupervisionThresholds(unfinishedRedDays: -1)) == "unfinishedRedDays")
        #expect(field(SupervisionThresholds(unsignedYellowDays: 5, unsignedRedDays: 5)) == "unsignedRedDays")
        #expect(field(SupervisionThresholds(unfinishedYellowDays: 11)) == "unfinishedRedDays")
        #expect(thresholds.days(.unsigned, .red) == 5 && thresholds.days(.overdue, .red) == nil)
    }
}
