import Foundation

/// The territory tree as one GeoJSON FeatureCollection: the import/export format of grids and
/// what the map draws.
///
/// Each feature is `{"type":"Feature","id":code,"geometry":…|null,"properties":{…}}` with the
/// properties `code`, `parent` (null for the root), `name`, `level`, `type`, `specialKind`
/// (only when set), `households` and `population`.
public enum GridGeoJSON {
    /// Parses a FeatureCollection into grids, in feature order.
    ///
    /// Every feature either becomes a grid or yields exactly one `FeatureError` (its position as
    /// `index`, its code when readable, the property or `"geometry"` as `field`, a Chinese
    /// message), and all of them are returned together as `FeatureErrors`. A problem with the
    /// document itself (not JSON, not a FeatureCollection) is a single error with index -1.
    ///
    /// Only the properties are checked here, plus that `level` agrees with the code; the rules
    /// between nodes (`Grid.validate(parent:)`) and geometry validity belong to the tree validator.
    /// `type` and `specialKind` accept the raw values or the Chinese labels; `level` too.
    /// Unknown properties are ignored.
    public static func decode(_ data: Data) -> Result<[Grid], FeatureErrors> {
        let collection: CollectionReader
        do {
            collection = try JSONDecoder().decode(CollectionReader.self, from: data)
        } catch let e as GeoJSONShapeError {
            return .failure(FeatureErrors([FeatureError(index: -1, message: e.message)]))
        } catch {
            return .failure(FeatureErrors([FeatureError(index: -1, message: "不是有效的JSON文件")]))
        }
        var grids: [Grid] = []
        var errors: [FeatureError] = []
        grids.reserveCapacity(collection.features.count)
        for (i, feature) in collection.features.enumerated() {
            switch feature.outcome {
            case .success(let g): grids.append(g)
            case .failure(var e):
                e.index = i
                errors.append(e)
            }
        }
        return errors.isEmpty ? .success(grids) : .failure(FeatureErrors(errors))
    }

    /// A FeatureCollection of `grids`, parents first (by level depth, then code).
    ///
    /// The bytes are compact and deterministic: the same grids give the same output whatever
    /// their order in the array (grids sharing a code keep their relative order). Any subset
    /// can be encoded, e.g. the grids in view on a map; parents outside the subset are still
    /// named in `parent`. A boundary with a non-finite coordinate cannot be written as JSON, and
    /// that number comes out as `null`.
    public static func encode(_ grids: [Grid]) -> Data {
        let sorted = grids.enumerated().sorted { a, b in
            let (da, db) = (a.element.level.depth, b.element.level.depth)
            if da != db { return da < db }
            if a.element.code != b.element.code { return a.element.code < b.element.code }
            return a.offset < b.offset
        }
        var w = JSONWriter()
        w.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        for (i, item) in sorted.enumerated() {
            if i > 0 { w.raw(",") }
            write(item.element, to: &w)
        }
        w.raw("]}")
        return Data(w.bytes)
    }

    private static func write(_ g: Grid, to w: inout JSONWriter) {
        w.raw("{\"type\":\"Feature\",\"id\":")
        w.string(g.code.value)
        w.raw(",\"geometry\":")
        if let boundary = g.boundary { w.geometry(boundary) } else { w.raw("null") }
        w.raw(",\"properties\":{\"code\":")
        w.string(g.code.value)
        w.raw(",\"parent\":")
        if let parent = g.parent { w.string(parent.value) } else { w.raw("null") }
        w.raw(",\"name\":")
        w.string(g.name)
        w.raw(",\"level\":")
        w.string(g.level.rawValue)
        w.raw(",\"type\":")
        w.string(g.type.rawValue)
        if let kind = g.specialKind {
            w.raw(",\"specialKind\":")
            w.string(kind.rawValue)
        }
        w.raw(",\"households\":")
        w.int(g.households)
        w.raw(",\"population\":")
        w.int(g.population)
        w.raw("}}")
    }
}

/// All rejected items of one bulk input, as a single error.
///
/// `Result` needs its failure to conform to `Error`, which `[FeatureError]` does not; this is
/// that array, usable as a collection (`errors.count`, `errors[0]`, `for e in errors`).
public struct FeatureErrors: Error, Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
    public var items: [FeatureError]

    public init(_ items: [FeatureError]) { self.items = items }

    public var startIndex: Int { items.startIndex }
    public var endIndex: Int { items.endIndex }
    public subscript(position: Int) -> FeatureError { items[position] }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}

private struct Key: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

private struct CollectionReader: Decodable {
    var features: [FeatureReader] = []

    init(from decoder: any Decoder) throws {
        guard let c = try? decoder.container(keyedBy: Key.self) else {
            throw GeoJSONShapeError("顶层必须是GeoJSON FeatureCollection对象")
        }
        let type = try? c.decode(String.self, forKey: "type")
        guard type == "FeatureCollection" else {
            throw GeoJSONShapeError("顶层type必须是“FeatureCollection”，收到“\(type ?? "无")”")
        }
        guard var list = try? c.nestedUnkeyedContainer(forKey: "features") else {
            throw GeoJSONShapeError("FeatureCollection缺少features数组")
        }
        // FeatureReader never throws, so one bad feature cannot hide the others.
        while !list.isAtEnd {
            features.append(try list.decode(FeatureReader.self))
        }
    }
}

/// One feature, read into a grid or into the first problem found in it. The index is filled
/// in by the caller, which knows the position.
private struct FeatureReader: Decodable {
    var outcome: Result<Grid, FeatureError>

    init(from decoder: any Decoder) {
        do {
            outcome = .success(try Self.read(decoder))
        } catch {
            outcome = .failure(error)
        }
    }

    private static func read(_ decoder: any Decoder) throws(FeatureError) -> Grid {
        func problem(_ field: String?, _ message: String, code: String? = nil) -> FeatureError {
            FeatureError(index: 0, code: code, field: field, message: message)
        }
        guard let f = try? decoder.container(keyedBy: Key.self) else {
            throw problem(nil, "要素必须是GeoJSON Feature对象")
        }
        guard (try? f.decode(String.self, forKey: "type")) == "Feature" else {
            throw problem(nil, "要素的type必须是“Feature”")
        }
        guard let p = try? f.nestedContainer(keyedBy: Key.self, forKey: "properties") else {
            throw problem("properties", "要素缺少properties对象")
        }

        guard p.contains("code"), (try? p.decodeNil(forKey: "code")) == false else {
            throw problem("code", "缺少编码code")
        }
        guard let rawCode = try? p.decode(String.self, forKey: "code") else {
            throw problem("code", "编码code必须是字符串(加引号)")
        }
        let code: GridCode
        do {
            code = try GridCode(rawCode)
        } catch {
            throw FeatureError(index: 0, code: rawCode, field: "code", message: error.message)
        }
        func fail(_ field: String?, _ message: String) -> FeatureError { problem(field, message, code: rawCode) }

        func optionalString(_ key: Key, _ label: String) throws(FeatureError) -> String? {
            guard p.contains(key), (try? p.decodeNil(forKey: key)) == false else { return nil }
            guard let s = try? p.decode(String.self, forKey: key) else {
                throw fail(key.stringValue, "\(label)\(key.stringValue)必须是字符串")
            }
            return s
        }
        func requiredString(_ key: Key, _ label: String) throws(FeatureError) -> String {
            guard let s = try optionalString(key, label) else {
                throw fail(key.stringValue, "缺少\(label)\(key.stringValue)")
            }
            return s
        }
        func count(_ key: Key, _ label: String) throws(FeatureError) -> Int {
            guard p.contains(key), (try? p.decodeNil(forKey: key)) == false else { return 0 }
            guard let n = try? p.decode(Int.self, forKey: key), n >= 0 else {
                throw fail(key.stringValue, "\(label)\(key.stringValue)必须是非负整数")
            }
            return n
        }

        var boundary: Geometry?
        if f.contains("geometry"), (try? f.decodeNil(forKey: "geometry")) == false {
            do {
                boundary = try f.decode(Geometry.self, forKey: "geometry")
            } catch {
                throw fail("geometry", message(of: error))
            }
        }

        var parent: GridCode?
        if let rawParent = try optionalString("parent", "上级编码") {
            do {
                parent = try GridCode(rawParent)
            } catch {
                throw fail("parent", "上级编码无效：\(error.message)")
            }
        }

        let name = try requiredString("name", "名称")

        let rawLevel = try requiredString("level", "层级")
        guard let level = GridLevel(rawValue: rawLevel) ?? GridLevel.allCases.first(where: { $0.label == rawLevel }) else {
            let known = GridLevel.allCases.map(\.rawValue).joined(separator: "、")
            throw fail("level", "未知层级“\(rawLevel)”，应为\(known)之一")
        }
        guard level == code.level else {
            throw fail("level", "层级“\(rawLevel)”与编码不符：\(code.value.count)位编码\(code)是\(code.level.label)(\(code.level.rawValue))")
        }

        let rawType = try requiredString("type", "类型")
        guard let type = GridType(rawValue: rawType) ?? GridType.allCases.first(where: { $0.label == rawType }) else {
            let known = GridType.allCases.map { "\($0.rawValue)(\($0.label))" }.joined(separator: "、")
            throw fail("type", "未知类型“\(rawType)”，应为\(known)之一")
        }

        var specialKind: SpecialKind?
        if let rawKind = try optionalString("specialKind", "专属类别") {
            guard let kind = SpecialKind(rawValue: rawKind) ?? SpecialKind.allCases.first(where: { $0.label == rawKind }) else {
                let known = SpecialKind.allCases.map { "\($0.rawValue)(\($0.label))" }.joined(separator: "、")
                throw fail("specialKind", "未知专属类别“\(rawKind)”，应为\(known)之一")
            }
            specialKind = kind
        }

        let households = try count("households", "户数")
        let population = try count("population", "人口数")

        return Grid(
            code: code, parent: parent, name: name, type: type, specialKind: specialKind,
            boundary: boundary, households: households, population: population)
    }

    /// `Geometry.init(from:)` puts its Chinese explanation in the context's description.
    private static func message(of error: any Error) -> String {
        guard let e = error as? DecodingError else { return "几何无法读取" }
        switch e {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c):
            return c.debugDescription
        @unknown default:
            return "几何无法读取"
        }
    }
}
