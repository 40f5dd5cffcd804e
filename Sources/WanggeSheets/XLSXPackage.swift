import Foundation
import ZIPFoundation

/// The zip archive of an .xlsx and its relationship parts: finding a part the way the package's
/// relationships say, not the way Excel happens to name them.
struct XLSXPackage {
    struct Relationship {
        var id: String
        /// The relationship type URI; compare with ``isType(_:)``, since Excel's transitional
        /// namespace and Strict OOXML's differ in everything but the last path component.
        var type: String
        /// The resolved part path inside the archive (no leading slash).
        var target: String

        func isType(_ kind: String) -> Bool { type.hasSuffix("/" + kind) }
    }

    /// No part of a workbook we can reasonably process unpacks to more than this; a zip bomb
    /// stops here instead of exhausting the server's memory.
    static let maximumPartSize = 1 << 30

    private let archive: Archive
    private let paths: [String: String]

    init(data: Data) throws {
        guard data.starts(with: SheetReader.zipMagic) else { throw SheetError.notXLSX }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw SheetError.notXLSX
        }
        // Part names are case-insensitive in OPC, and some Windows tools store "\" separators.
        var paths: [String: String] = [:]
        for entry in archive where entry.type == .file {
            let key = Self.key(entry.path)
            if paths[key] == nil { paths[key] = entry.path }
        }
        self.paths = paths
    }

    func contains(_ path: String) -> Bool { paths[Self.key(path)] != nil }

    /// The bytes of a part, or nil when the archive has no such part.
    func read(_ path: String) throws -> [UInt8]? {
        guard let stored = paths[Self.key(path)], let entry = archive[stored] else { return nil }
        guard entry.uncompressedSize <= UInt64(Self.maximumPartSize) else { throw SheetError.partTooLarge(part: path) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry) { chunk in
                // The declared size can lie; count what actually comes out.
                guard bytes.count + chunk.count <= Self.maximumPartSize else { throw SheetError.partTooLarge(part: path) }
                bytes.append(contentsOf: chunk)
            }
        } catch let error as SheetError {
            throw error
        } catch {
            throw SheetError.malformedXML(part: path, detail: "cannot be unpacked (\(error))")
        }
        return bytes
    }

    /// The relationships of a part (those of the package itself for ""), targets resolved.
    func relationships(of part: String) throws -> [Relationship] {
        let directory = Self.directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + name + ".rels"
        guard let bytes = try read(relsPath) else { return [] }
        var scanner = XMLScanner(bytes: bytes, part: relsPath)
        var relationships: [Relationship] = []
        while let event = try scanner.next() {
            guard case .start("Relationship", let attributes) = event else { continue }
            let value = { (name: String) in attributes.first { $0.name == name }?.value }
            guard value("TargetMode") != "External", let target = value("Target"), let type = value("Type") else { continue }
            relationships.append(Relationship(
                id: value("Id") ?? "",
                type: type,
                target: Self.resolve(target, from: directory)
            ))
        }
        return relationships
    }

    /// Resolves a relationship target against the source part's folder; an absolute target
    /// ("/xl/worksheets/sheet1.xml", as some generators write) is taken from the package root.
    static func resolve(_ target: String, from directory: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        var components: [Substring] = decoded.hasPrefix("/") ? [] : directory.split(separator: "/")
        for component in decoded.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[..<slash])
    }

    private static func key(_ path: String) -> String {
        var normalized = path.replacingOccurrences(of: "\\", with: "/")
        while normalized.hasPrefix("/") { normalized.removeFirst() }
        return normalized.lowercased()
    }
}
