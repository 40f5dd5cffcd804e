import Testing
import WanggeCore
import WanggeDemo

/// The demo must be importable as it stands: the same checks a GeoJSON import goes through.
@Suite("Demo territory passes the grid tree validator")
struct ValidatorTests {
    @Test("the whole demo territory validates with no errors", arguments: [DemoScale.county, .city])
    func validates(scale: DemoScale) {
        let t = scale == .county ? county : city
        let errors = GridTreeValidator(existing: []).validate(t.grids)
        #expect(errors.isEmpty, "\(errors.count) errors, first: \(errors.prefix(5).map(\.description))")
    }
}
