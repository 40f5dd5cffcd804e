import Foundation
import Testing
@testable import WanggeCore

@Suite("DuplicateRule")
struct DuplicateRuleTests {
    let rule = DuplicateRule.standard
    let lon = 106.6302, lat = 26.6477
    let at: Int64 = 1_795_399_200

    /// A point `meters` north of the reference.
    func north(_ meters: Double) -> Double { lat + meters / earthRadiusMeters * 180 / Double.pi }

    func duplicate(item: String = "0705", lat otherLat: Double? = nil, at otherAt: Int64? = nil,
                   status: EventStatus = .dispatched) -> Bool {
        rule.isLikelyDuplicate(newItem: "0705", newLon: lon, newLat: lat, newAt: at,
                               existingItem: item, existingLon: lon, existingLat: otherLat ?? north(40),
                               existingAt: otherAt ?? at - 3600, existingStatus: status)
    }

    @Test func sameItemNearAndRecent() {
        #expect(duplicate())
        #expect(duplicate(lat: north(99.9)))
        #expect(duplicate(at: at - 72 * 3600))
        #expect(duplicate(at: at + 600))  // the other arrived later from an offline phone
        #expect(duplicate(status: .reported) && duplicate(status: .handled))
    }

    @Test func otherItemTooFarTooOldOrClosed() {
        #expect(!duplicate(item: "0702"))
        #expect(!duplicate(lat: north(100.5)))
        #expect(!duplicate(at: at - 72 * 3600 - 1))
        for status in [EventStatus.closed, .evaluated, .rejected, .merged] {
            #expect(!duplicate(status: status), "\(status)")
        }
    }

    @Test func distances() {
        #expect(abs(distanceMeters(fromLon: 106, fromLat: 26, toLon: 106, toLat: 27) - 111_195.08) < 0.01)
        #expect(distanceMeters(fromLon: 106, fromLat: 26, toLon: 106, toLat: 26) == 0)
        // A degree of longitude at 60° is half a degree of latitude.
        #expect(abs(distanceMeters(fromLon: 0, fromLat: 60, toLon: 1, toLat: 60) - 55_596) < 5)
        let a = Position(lon: 106.63, lat: 26.64), b = Position(lon: 106.71, lat: 26.58)
        #expect(distanceMeters(a, b) == distanceMeters(b, a))
        #expect(abs(distanceMeters(fromLon: 0, fromLat: 0, toLon: 180, toLat: 0) - earthRadiusMeters * Double.pi) < 0.01)
    }

    @Test func searchBoxHoldsTheCircle() {
        let box = rule.searchBox(lon: lon, lat: lat)
        for bearing in stride(from: 0.0, to: 360, by: 15) {
            let r = 99.9 / earthRadiusMeters * 180 / Double.pi, angle = bearing * Double.pi / 180
            let pLat = lat + r * cos(angle), pLon = lon + r * sin(angle) / cos(lat * Double.pi / 180)
            #expect(distanceMeters(fromLon: lon, fromLat: lat, toLon: pLon, toLat: pLat) < 100)
            #expect(box.contains(lon: pLon, lat: pLat), "\(bearing)°")
        }
        #expect(!box.contains(lon: lon, lat: north(150)))
    }
}
