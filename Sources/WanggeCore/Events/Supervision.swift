/// What a supervision card (督办牌) is for.
public enum CardKind: String, Codable, Sendable, CaseIterable {
    /// Dispatched and not signed for (超期未签收).
    case unsigned
    /// Dispatched and not handled (超期未处置).
    case unfinished
    /// Past its handling deadline and not handled (超过处置时限).
    case overdue

    public var label: String {
        switch self {
        case .unsigned: "超期未签收"
        case .unfinished: "超期未处置"
        case .overdue: "超过处置时限"
        }
    }
}

/// How severe a card is: a yellow card warns, a red card is the last step before the
/// assessment (考核) counts it against the unit.
public enum CardColor: String, Codable, Sendable, CaseIterable {
    case yellow
    case red

    public var label: String {
        switch self {
        case .yellow: "黄牌"
        case .red: "红牌"
        }
    }
}

/// When cards are due, in working days after the dispatch. The defaults are the thresholds
/// seen on deployed platforms: yellow at 2 and red at 5 working days not signed, yellow at 5
/// and red at 10 working days not handled.
public struct SupervisionThresholds: Hashable, Codable, Sendable {
    public var unsignedYellowDays: Int
    public var unsignedRedDays: Int
    public var unfinishedYellowDays: Int
    public var unfinishedRedDays: Int

    public init(unsignedYellowDays: Int = 2, unsignedRedDays: Int = 5, unfinishedYellowDays: Int = 5, unfinishedRedDays: Int = 10) {
        self.unsignedYellowDays = unsignedYellowDays
        self.unsignedRedDays = unsignedRedDays
        self.unfinishedYellowDays = unfinishedYellowDays
        self.unfinishedRedDays = unfinishedRedDays
    }

    public static let standard = SupervisionThresholds()

    /// Every threshold positive and each yellow card before its red one.
    public func validate() throws(ValidationError) {
        let all = [("unsignedYellowDays", unsignedYellowDays), ("unsignedRedDays", unsignedRedDays),
                   ("unfinishedYellowDays", unfinishedYellowDays), ("unfinishedRedDays", unfinishedRedDays)]
        for (field, days) in all where days <= 0 || days > DeadlineSpec.maxDays {
            throw ValidationError(field: field, "督办阈值应在1–\(DeadlineSpec.maxDays)个工作日之间，收到\(days)")
        }
        guard unsignedYellowDays < unsignedRedDays else {
            throw ValidationError(field: "unsignedRedDays", "未签收红牌阈值必须大于黄牌阈值(\(unsignedYellowDays)个工作日)")
        }
        guard unfinishedYellowDays < unfinishedRedDays else {
            throw ValidationError(field: "unfinishedRedDays", "未处置红牌阈值必须大于黄牌阈值(\(unfinishedYellowDays)个工作日)")
        }
    }

    /// The working days after which a card of `kind` and `color` is due; `nil` for the overdue
    /// card, which follows the event's own deadline.
    public func days(_ kind: CardKind, _ color: CardColor) -> Int? {
        switch (kind, color) {
        case (.unsigned, .yellow): unsignedYellowDays
        case (.unsigned, .red): unsignedRedDays
        case (.unfinished, .yellow): unfinishedYellowDays
        case (.unfinished, .red): unfinishedRedDays
        case (.overdue, _): nil
        }
    }
}

/// A supervision card an event has earned.
public struct Card: Hashable, Codable, Sendable, CustomStringConvertible {
    public var kind: CardKind
    public var color: CardColor

    public init(_ kind: CardKind, _ color: CardColor) {
        self.kind = kind
        self.color = color
    }

    /// `超期未签收·黄牌`
    public var label: String { kind.label + "·" + color.label }

    public var description: String { "\(kind.rawValue)/\(color.rawValue)" }
}

/// Which cards are due (日常督办): a pure decision, so that a periodic job can re-run it at any
/// time and store only the cards not stored yet.
public enum Supervision {
    /// The cards an event deserves at `now` — all of them, e.g. yellow and red once both
    /// thresholds have passed; the caller stores each (event, kind, color) once, so re-running
    /// never repeats a card.
    ///
    /// - Only open events get cards; handled events (waiting for verification) get none.
    /// - `unsigned` while the status is `.dispatched` (and `signedAt` is not a signature of this
    ///   dispatch), once `addingWorkingDays(threshold, to: dispatchedAt)` is reached;
    /// - `unfinished` while `.dispatched` or `.signed`, the same way with its thresholds;
    /// - `overdue`: a single red card once `now` is past (strictly after) `deadline`, in any open
    ///   status before `.handled`. One card, not a yellow–red ladder: the deadline was the
    ///   commitment, and the unsigned and unfinished cards already gave the warnings; a unit
    ///   that wants an earlier warning sets a shorter deadline.
    ///
    /// The thresholds use the same working-day arithmetic as deadlines, so a yellow card at "2
    /// working days" falls exactly when a `2d` deadline would. The status decides whether the
    /// clocks run: `handledAt` is not used to stop them, because a failed verification sends an
    /// event back to `.signed` with its earlier `handledAt` still set.
    public static func dueCards(status: EventStatus, dispatchedAt: Int64?, signedAt: Int64?, handledAt: Int64?,
                                deadline: Int64?, now: Int64, calendar: WorkingCalendar,
                                thresholds: SupervisionThresholds) -> [Card] {
        guard status.isOpen, status != .handled else { return [] }
        var cards: [Card] = []
        if let dispatchedAt {
            let signedThisDispatch = signedAt.map { $0 >= dispatchedAt } ?? false
            var running: [CardKind] = []
            if status == .dispatched && !signedThisDispatch { running.append(.unsigned) }
            if status == .dispatched || status == .signed { running.append(.unfinished) }
            for kind in running {
                for color in CardColor.allCases {
                    guard let days = thresholds.days(kind, color) else { continue }
                    if now >= calendar.addingWorkingDays(days, to: dispatchedAt) { cards.append(Card(kind, color)) }
                }
            }
        }
        if let deadline, now > deadline { cards.append(Card(.overdue, .red)) }
        return cards
    }
}
