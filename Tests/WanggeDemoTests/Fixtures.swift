import WanggeCore
import WanggeDemo

/// Generated once per test process; generation is deterministic, so sharing is safe.
let county = DemoTerritory.generate(scale: .county)
let city = DemoTerritory.generate(scale: .city)

/// Children of every node, in the territory's order; looked up by code, never iterated.
func childrenByParent(_ grids: [Grid]) -> [GridCode: [Grid]] {
    var map: [GridCode: [Grid]] = [:]
    for g in grids {
        if let p = g.parent { map[p, default: []].append(g) }
    }
    return map
}

/// Signed shoelace area in square degrees, positive for counter-clockwise rings. Taken about
/// the first vertex so that longitudes around 106 do not swamp cells of 1e-4 square degrees.
func signedArea(_ ring: [Position]) -> Double {
    guard let o = ring.first else { return 0 }
    var twice = 0.0
    for k in 0..<(ring.count - 1) {
        let (a, b) = (ring[k], ring[k + 1])
        twice += (a.lon - o.lon) * (b.lat - o.lat) - (b.lon - o.lon) * (a.lat - o.lat)
    }
    return twice / 2
}

func area(_ g: Grid) -> Double {
    g.boundary!.polygons.reduce(0) { $0 + signedArea($1.outer) }
}

/// A small generator for sample points, independent of the one under test.
struct TestRandom {
    var state: UInt64
    mutating func unit() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1.0p-53
    }
}

/// FNV-1a over a canonical rendering of everything generated: codes, names, figures, the bit
/// patterns of every vertex, rosters, departments (their staff by sorted key) and accounts.
func digest(_ t: DemoTerritory) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func eat(_ s: String) {
        for b in s.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        h ^= 0xff
        h &*= 0x100_0000_01b3
    }
    for g in t.grids {
        eat("\(g.code)|\(g.parent?.value ?? "")|\(g.name)|\(g.type.rawValue)|\(g.specialKind?.rawValue ?? "")|\(g.households)|\(g.population)")
        for polygon in g.boundary?.polygons ?? [] {
            for ring in polygon.rings {
                for p in ring { eat("\(p.lon.bitPattern),\(p.lat.bitPattern)") }
            }
        }
    }
    for s in t.staff { eat("\(s.gridCode)|\(s.name)|\(s.role.rawValue)|\(s.phone ?? "")") }
    for d in t.departments { eat("\(d.key)|\(d.name)|\(d.kind.rawValue)|\(d.serves)") }
    for key in t.departmentStaff.keys.sorted() {
        for p in t.departmentStaff[key]! { eat("\(key)|\(p.name)|\(p.phone)|\(p.post)") }
    }
    for a in t.accounts {
        eat("\(a.username)|\(a.displayName)|\(a.role.rawValue)|\(a.scope?.value ?? "")|\(a.departmentKey ?? "")|\(a.purpose)")
    }
    return h
}
