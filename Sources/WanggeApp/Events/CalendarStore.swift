import WanggeCore
import WanggeStorage

/// The working calendar in force: the built-in one with the administrator's overrides applied.
/// Cached, and re-read after a change made through this process.
actor CalendarStore {
    private let repos: Repositories
    private var cached: WorkingCalendar?

    init(repos: Repositories) { self.repos = repos }

    func current() async throws -> WorkingCalendar {
        if let cached { return cached }
        var calendar = WorkingCalendar.standard
        for (day, kind) in try await repos.catalog.calendarOverrides() {
            switch kind {
            case "holiday":
                calendar.holidays.insert(day)
                calendar.makeUpWorkdays.remove(day)
            case "workday":
                calendar.makeUpWorkdays.insert(day)
                calendar.holidays.remove(day)
            default:
                calendar.holidays.remove(day)
                calendar.makeUpWorkdays.remove(day)
            }
        }
        cached = calendar
        return calendar
    }

    func invalidate() { cached = nil }
}

/// The event catalog, read once and kept until it is changed through this process (every
/// report and action needs it, and it changes a few times a year).
actor CatalogStore {
    private let repos: Repositories
    private var cached: Catalog?

    init(repos: Repositories) { self.repos = repos }

    func current() async throws -> Catalog {
        if let cached { return cached }
        let catalog = try await repos.catalog.catalog()
        cached = catalog
        return catalog
    }

    func invalidate() { cached = nil }
}
