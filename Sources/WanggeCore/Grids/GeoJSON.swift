import Foundation

// GeoJSON (RFC 7946) geometry objects for grid boundaries. Only Polygon and MultiPolygon are
// boundaries, so every other geometry type is refused rather than approximated.

extension Geometry: Codable {
    private enum Keys: String, CodingKey {
        case type
        case coordinates
    }

    /// Reads a GeoJSON `Polygon` or `MultiPolygon` object. A third number in a position
    /// (altitude) is accepted and dropped. Failures are `DecodingError.dataCorrupted` whose
    /// `debugDescription` is a Chinese message naming the offending place, e.g. `coordinates[0][3][1]`.
    public init(from decoder: any Decoder) throws {
        func fail(_ message: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: message))
        }
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw fail("几何必须是GeoJSON几何对象，例如{\"type\":\"Polygon\",\"coordinates\":[...]}")
        }
        guard c.contains(.type), let type = try? c.decode(String.self, forKey: .type) else {
            throw fail("几何缺少字符串属性type(应为Polygon或MultiPolygon)")
        }
        let nesting: Int
        switch type {
        case "Polygon": nesting = 3
        case "MultiPolygon": nesting = 4
        default: throw fail("不支持的几何类型“\(type)”：网格边界只能是Polygon或MultiPolygon")
        }
        guard c.contains(.coordinates) else { throw fail("\(type)缺少coordinates") }

        // The typed decode is the fast path for well-formed input; only when it fails do we walk
        // the untyped value to say exactly where the shape or a number is wrong.
        do {
            if nesting == 3, let rings = try? c.decode([[[Double]]].self, forKey: .coordinates) {
                self = .polygon(try GeoJSONShape.polygon(rings, path: "coordinates"))
                return
            }
            if nesting == 4, let members = try? c.decode([[[[Double]]]].self, forKey: .coordinates) {
                guard !members.isEmpty else { throw GeoJSONShapeError("MultiPolygon的coordinates不能为空数组") }
                var polygons: [Polygon] = []
                polygons.reserveCapacity(members.count)
                for (i, rings) in members.enumerated() {
                    polygons.append(try GeoJSONShape.polygon(rings, path: "coordinates[\(i)]"))
                }
                self = .multiPolygon(polygons)
                return
            }
        } catch let e as GeoJSONShapeError {
            throw fail(e.message)
        }
        let raw = try? c.decode(GeoJSONShape.self, forKey: .coordinates)
        throw fail(raw.flatMap { $0.problem(nesting: nesting, type: type) } ?? "\(type)的coordinates格式不正确")
    }

    /// Writes the GeoJSON geometry object. `GridGeoJSON.encode` produces the same shape with
    /// compact, deterministic bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        func rings(_ p: Polygon) -> [[[Double]]] { p.rings.map { $0.map { [$0.lon, $0.lat] } } }
        switch self {
        case .polygon(let p):
            try c.encode("Polygon", forKey: .type)
            try c.encode(rings(p), forKey: .coordinates)
        case .multiPolygon(let ps):
            try c.encode("MultiPolygon", forKey: .type)
            try c.encode(ps.map(rings), forKey: .coordinates)
        }
    }
}

struct GeoJSONShapeError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Any JSON value, kept only to explain why `coordinates` did not decode as numbers.
enum GeoJSONShape: Decodable {
    case number(Double)
    case array([GeoJSONShape])
    case other(String)

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .other("null")
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .other("字符串“\(s)”")
        } else if let b = try? c.decode(Bool.self) {
            self = .other("布尔值\(b)")
        } else if let a = try? c.decode([GeoJSONShape].self) {
            self = .array(a)
        } else {
            self = .other("对象或无法读取的数字")
        }
    }

    private var kind: String {
        switch self {
        case .number(let d): "数字\(d)"
        case .array: "数组"
        case .other(let s): s
        }
    }

    /// The first problem found in depth-first order, or nil when the shape is right.
    func problem(nesting: Int, type: String) -> String? {
        problem(nesting: nesting, hint: "(\(type)的coordinates应嵌套\(nesting)层数组)", path: "coordinates")
    }

    private func problem(nesting: Int, hint depthHint: String, path: String) -> String? {
        guard case .array(let items) = self else {
            let expected = nesting == 1 ? "坐标[经度,纬度]" : "数组"
            return "\(path)应为\(expected)，实际为\(kind)\(depthHint)"
        }
        if nesting == 1 {
            for (i, item) in items.enumerated() {
                if case .number = item { continue }
                return "\(path)[\(i)]应为数字，实际为\(item.kind)"
            }
            return nil
        }
        for (i, item) in items.enumerated() {
            if let p = item.problem(nesting: nesting - 1, hint: depthHint, path: "\(path)[\(i)]") { return p }
        }
        return nil
    }

    static func polygon(_ rings: [[[Double]]], path: String) throws(GeoJSONShapeError) -> Polygon {
        guard !rings.isEmpty else { throw GeoJSONShapeError("\(path)：多边形至少需要一个外环") }
        var out: [[Position]] = []
        out.reserveCapacity(rings.count)
        for (r, ring) in rings.enumerated() {
            var positions: [Position] = []
            positions.reserveCapacity(ring.count)
            for (i, p) in ring.enumerated() {
                guard p.count == 2 || p.count == 3 else {
                    throw GeoJSONShapeError("\(path)[\(r)][\(i)]应为[经度,纬度]或[经度,纬度,高程]，实际有\(p.count)个数")
                }
                positions.append(Position(lon: p[0], lat: p[1]))
            }
            out.append(positions)
        }
        return Polygon(rings: out)
    }
}

/// Appends compact JSON to a byte buffer. Hand-written so that key order, and therefore the
/// bytes, are fixed (`JSONEncoder` without `.sortedKeys` follows hash order).
struct JSONWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(hex[Int(b >> 4)])
                bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ i: Int) {
        bytes.append(contentsOf: String(i).utf8)
    }

    /// Swift's `description` is the shortest text that parses back to the same Double, so
    /// coordinates round-trip exactly; a trailing ".0" is dropped since JSON needs no marker.
    /// JSON cannot carry NaN or infinity: they become `null`, which decoding then rejects.
    mutating func number(_ d: Double) {
        guard d.isFinite else { return raw("null") }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        bytes.append(contentsOf: s.utf8)
    }

    mutating func geometry(_ g: Geometry) {
        switch g {
        case .polygon(let p):
            raw("{\"type\":\"Polygon\",\"coordinates\":")
            polygon(p)
        case .multiPolygon(let ps):
            raw("{\"type\":\"MultiPolygon\",\"coordinates\":[")
            for (i, p) in ps.enumerated() {
                if i > 0 { raw(",") }
                polygon(p)
            }
            raw("]")
        }
        raw("}")
    }

    private mutating func polygon(_ p: Polygon) {
        raw("[")
        for (r, ring) in p.rings.enumerated() {
            raw(r == 0 ? "[" : ",[")
            for (i, pos) in ring.enumerated() {
                raw(i == 0 ? "[" : ",[")
                number(pos.lon)
                raw(",")
                number(pos.lat)
                raw("]")
            }
            raw("]")
        }
        raw("]")
    }
}
