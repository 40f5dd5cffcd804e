import ArgumentParser
import Foundation
import WanggeCore
import WanggeDemo

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures.",
                                                    subcommands: [BenchLocate.self, BenchEvents.self, BenchImport.self])
}

/// Point→grid lookups per second on one core over the city-scale tree, next to the index build time.
struct BenchLocate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "locate")
    @Option(help: "Number of lookups") var lookups: Int = 2_000_000

    func run() throws {
        #if DEBUG
        print("注意：这是调试构建，数字没有意义；请用 swift run -c release wangge bench locate")
        #endif
        let t0 = Date()
        let city = DemoTerritory.generate(scale: .city)
        let generated = Date().timeIntervalSince(t0)
        let grids = city.grids
        var box = BoundingBox.empty
        for g in grids { if let b = g.boundary?.boundingBox { box.extend(b) } }

        let t1 = Date()
        let index = SpatialIndex(grids: grids)
        let build = Date().timeIntervalSince(t1)

        // Points are drawn before timing, from a fixed seed, over the city's bounding box.
        var rng = SeededRandom(seed: 42)
        var points: [(Double, Double)] = []
        points.reserveCapacity(lookups)
        for _ in 0..<lookups {
            points.append((box.minLon + rng.unit() * (box.maxLon - box.minLon), box.minLat + rng.unit() * (box.maxLat - box.minLat)))
        }
        var found = 0
        let t2 = Date()
        for (lon, lat) in points where index.locate(lon: lon, lat: lat) != nil { found += 1 }
        let elapsed = Date().timeIntervalSince(t2)

        print("城市规模网格树：\(grids.count)个节点(生成用时\(String(format: "%.2f", generated))秒)，索引\(index.count)个多边形")
        print(String(format: "建索引用时: %.1f ms", build * 1000))
        print(String(format: "单核定位: %d 次，用时 %.3f 秒，%.0f 次/秒，%.0f ns/次，命中 %d", lookups, elapsed,
                     Double(lookups) / elapsed, elapsed / Double(lookups) * 1e9, found))
    }
}
